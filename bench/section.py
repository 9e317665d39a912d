"""Replaces one marked section of a Markdown file: `bench/section.py DOC NAME FILE`.

The section is everything from `<!-- NAME:begin -->` to `<!-- NAME:end -->`; FILE holds the new
one, markers included. When DOC has no such section, the new one is appended (or, with
`--require`, that is an error). Every other byte of DOC is kept.
"""
import re
import sys


def main(argv):
    require = "--require" in argv
    doc, name, new = [a for a in argv[1:] if a != "--require"]
    sec = open(new).read().rstrip("\n")
    s = open(doc).read()
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin in s:
        s = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: sec, s, flags=re.S)
    elif require:
        raise SystemExit(f"{doc} has no {begin} marker")
    else:
        s = s.rstrip("\n") + "\n\n" + sec + "\n"
    open(doc, "w").write(s)


if __name__ == "__main__":
    main(sys.argv)
