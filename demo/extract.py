#!/usr/bin/env python3
"""Cuts the bundled demo archive out of a real RIS MRT file, record for record (no bytes changed).

Usage: demo/extract.py SRC.gz OUT.gz FIRST_N [ASN...]
Keeps the first FIRST_N MRT records (session start and the first part of the table) plus every
later record whose bytes mention one of the ASNs in an AS path (4-byte big-endian), in file order.
"""
import gzip
import struct
import sys

src, out, first_n = sys.argv[1], sys.argv[2], int(sys.argv[3])
needles = [struct.pack(">I", int(a)) for a in sys.argv[4:]]
kept = 0
with gzip.open(src, "rb") as f, gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as o:
    n = 0
    while True:
        head = f.read(12)
        if len(head) < 12:
            break
        ts, typ, sub, length = struct.unpack(">IHHI", head)
        body = f.read(length)
        n += 1
        if n <= first_n or any(x in body for x in needles):
            o.write(head + body)
            kept += 1
print(f"kept {kept} of {n} records")
