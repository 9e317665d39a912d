package io.routewatch.proto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A small linter for the subset of proto3 this repository writes (buf's STANDARD naming and comment
 * rules, plus field-number hygiene). {@link #lint} parses one file's text and returns its
 * violations as stable keys ({@code file path rule}, no line numbers, so a baseline survives edits)
 * and its field numbers ({@code package.Message.field} to number).
 */
final class ProtoLint {

  /** One finding: a stable key for the baseline and a line for the message. */
  record Violation(String key, int line) {
    @Override
    public String toString() {
      return key + " (line " + line + ")";
    }
  }

  /** What {@link #lint} found in one file. */
  record Result(
      List<Violation> violations,
      Map<String, Integer> fieldNumbers,
      Map<String, List<int[]>> reserved) {}

  private static final Pattern UPPER_CAMEL = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final Pattern LOWER_SNAKE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  private static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

  private record Tok(String text, int line, boolean comment) {}

  private final String file;
  private final List<Tok> toks = new ArrayList<>();
  private final List<Violation> out = new ArrayList<>();
  private final Map<String, Integer> numbers = new TreeMap<>();
  private final Map<String, List<int[]>> reserved = new HashMap<>();
  private String pkg = "";
  private int i;

  private ProtoLint(String file, String text) {
    this.file = file;
    tokenize(text);
  }

  static Result lint(String file, String text) {
    ProtoLint l = new ProtoLint(file, text);
    l.top();
    return new Result(List.copyOf(l.out), l.numbers, l.reserved);
  }

  /** UPPER_SNAKE form of an UpperCamel name: ChangeKind -> CHANGE_KIND. */
  static String upperSnake(String camel) {
    return camel
        .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
        .replaceAll("([A-Z])([A-Z][a-z])", "$1_$2")
        .toUpperCase(Locale.ROOT);
  }

  // ---- tokens

  private void tokenize(String s) {
    int line = 1;
    int p = 0;
    while (p < s.length()) {
      char c = s.charAt(p);
      if (c == '\n') {
        line++;
        p++;
      } else if (Character.isWhitespace(c)) {
        p++;
      } else if (s.startsWith("//", p)) {
        int e = s.indexOf('\n', p);
        e = e < 0 ? s.length() : e;
        toks.add(new Tok(s.substring(p, e), line, true));
        p = e;
      } else if (s.startsWith("/*", p)) {
        int e = s.indexOf("*/", p + 2);
        if (e < 0) throw new IllegalArgumentException(file + ":" + line + ": unterminated comment");
        String body = s.substring(p, e + 2);
        toks.add(new Tok(body, line, true));
        line += (int) body.chars().filter(ch -> ch == '\n').count();
        p = e + 2;
      } else if (c == '"' || c == '\'') {
        int e = p + 1;
        while (e < s.length() && s.charAt(e) != c) e += s.charAt(e) == '\\' ? 2 : 1;
        if (e >= s.length())
          throw new IllegalArgumentException(file + ":" + line + ": unterminated string");
        toks.add(new Tok(s.substring(p, e + 1), line, false));
        p = e + 1;
      } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-') {
        int e = p;
        while (e < s.length()
            && (Character.isLetterOrDigit(s.charAt(e)) || "_.-".indexOf(s.charAt(e)) >= 0)) e++;
        toks.add(new Tok(s.substring(p, e), line, false));
        p = e;
      } else {
        toks.add(new Tok(String.valueOf(c), line, false));
        p++;
      }
    }
  }

  /** Index of the next non-comment token from j. */
  private int code(int j) {
    while (j < toks.size() && toks.get(j).comment()) j++;
    return j;
  }

  private Tok peek() {
    return toks.get(code(i));
  }

  private Tok next() {
    i = code(i);
    if (i >= toks.size()) throw new IllegalArgumentException(file + ": unexpected end of file");
    return toks.get(i++);
  }

  private void expect(String t) {
    Tok k = next();
    if (!k.text().equals(t)) {
      throw new IllegalArgumentException(
          file + ":" + k.line() + ": expected '" + t + "', found '" + k.text() + "'");
    }
  }

  /** True when a comment directly precedes token index j (a leading comment). */
  private boolean leadingComment(int j) {
    return j > 0 && toks.get(j - 1).comment();
  }

  /** True when a comment follows on the same line as token index j (a trailing comment). */
  private boolean trailingComment(int j) {
    return j + 1 < toks.size()
        && toks.get(j + 1).comment()
        && toks.get(j + 1).line() == toks.get(j).line();
  }

  private void skipStatement() {
    int depth = 0;
    while (true) {
      String t = next().text();
      if (t.equals("{") || t.equals("[") || t.equals("(")) depth++;
      if (t.equals("}") || t.equals("]") || t.equals(")")) depth--;
      if (depth == 0 && t.equals(";")) return;
      if (depth < 0) throw new IllegalArgumentException(file + ": unbalanced braces");
    }
  }

  private void add(String path, String rule, int line) {
    out.add(new Violation(file + " " + path + " " + rule, line));
  }

  // ---- grammar

  private void top() {
    while (code(i) < toks.size()) {
      int at = code(i);
      String t = peek().text();
      switch (t) {
        case "package" -> {
          next();
          pkg = next().text();
          expect(";");
        }
        case "message" -> message("", at);
        case "enum" -> enumeration("", at);
        case "service" -> service(at);
        case ";" -> next();
        default -> skipStatement(); // syntax, import, option
      }
    }
  }

  private void message(String outer, int at) {
    next();
    Tok name = next();
    String path = outer.isEmpty() ? name.text() : outer + "." + name.text();
    if (!UPPER_CAMEL.matcher(name.text()).matches())
      add(path, "message-name-upper-camel", name.line());
    if (!leadingComment(at)) add(path, "message-comment", name.line());
    expect("{");
    Map<Integer, String> used = new HashMap<>();
    List<int[]> res = new ArrayList<>();
    List<Object[]> fields = new ArrayList<>(); // name, number, line
    body(path, used, res, fields);
    reserved.put(pkg + "." + path, res);
    for (Object[] f : fields) {
      int n = (int) f[1];
      for (int[] r : res) {
        if (n >= r[0] && n <= r[1]) add(path + "." + f[0], "field-number-reserved", (int) f[2]);
      }
    }
  }

  private void body(
      String path, Map<Integer, String> used, List<int[]> res, List<Object[]> fields) {
    while (true) {
      int at = code(i);
      String t = peek().text();
      switch (t) {
        case "}" -> {
          next();
          return;
        }
        case "message" -> message(path, at);
        case "enum" -> enumeration(path, at);
        case "option", "extensions", "extend" -> skipStatement();
        case ";" -> next();
        case "reserved" -> reservedRanges(res);
        case "oneof" -> {
          next();
          Tok n = next();
          if (!LOWER_SNAKE.matcher(n.text()).matches())
            add(path + "." + n.text(), "oneof-name-lower-snake", n.line());
          expect("{");
          body(path, used, res, fields);
        }
        default -> field(path, at, used, fields);
      }
    }
  }

  private void reservedRanges(List<int[]> res) {
    next();
    while (true) {
      Tok t = next();
      if (t.text().equals(";")) return;
      if (t.text().equals(",") || t.text().startsWith("\"")) continue;
      int lo = Integer.parseInt(t.text());
      int hi = lo;
      if (peek().text().equals("to")) {
        next();
        String h = next().text();
        hi = h.equals("max") ? 536_870_911 : Integer.parseInt(h);
      }
      res.add(new int[] {lo, hi});
    }
  }

  private void field(String path, int at, Map<Integer, String> used, List<Object[]> fields) {
    // [repeated|optional] type name = number [options];  or  map<K, V> name = number;
    Tok first = next();
    if (first.text().equals("repeated") || first.text().equals("optional")) first = next();
    if (first.text().equals("map")) {
      expect("<");
      while (!next().text().equals(">")) {}
    }
    Tok name = next();
    expect("=");
    Tok num = next();
    int end;
    if (peek().text().equals("[")) {
      int depth = 0;
      do {
        String s = next().text();
        if (s.equals("[")) depth++;
        if (s.equals("]")) depth--;
      } while (depth > 0);
    }
    end = code(i);
    expect(";");
    String fpath = path + "." + name.text();
    int n = Integer.parseInt(num.text());
    if (!LOWER_SNAKE.matcher(name.text()).matches())
      add(fpath, "field-name-lower-snake", name.line());
    if (!leadingComment(at) && !trailingComment(end)) add(fpath, "field-comment", name.line());
    String before = used.put(n, name.text());
    if (before != null)
      add(fpath, "field-number-reused(" + n + " also " + before + ")", name.line());
    numbers.put(pkg + "." + fpath, n);
    fields.add(new Object[] {name.text(), n, name.line()});
  }

  private void enumeration(String outer, int at) {
    next();
    Tok name = next();
    String path = outer.isEmpty() ? name.text() : outer + "." + name.text();
    if (!UPPER_CAMEL.matcher(name.text()).matches())
      add(path, "enum-name-upper-camel", name.line());
    String prefix = upperSnake(name.text()) + "_";
    expect("{");
    while (true) {
      int vat = code(i);
      String t = peek().text();
      if (t.equals("}")) {
        next();
        return;
      }
      if (t.equals("option") || t.equals("reserved")) {
        skipStatement();
        continue;
      }
      if (t.equals(";")) {
        next();
        continue;
      }
      Tok v = next();
      expect("=");
      Tok num = next();
      if (peek().text().equals("[")) {
        while (!next().text().equals("]")) {}
      }
      int end = code(i);
      expect(";");
      String vpath = path + "." + v.text();
      if (!UPPER_SNAKE.matcher(v.text()).matches()) add(vpath, "enum-value-upper-snake", v.line());
      if (!v.text().startsWith(prefix)) add(vpath, "enum-value-prefix(" + prefix + ")", v.line());
      if (num.text().equals("0") && !v.text().endsWith("_UNSPECIFIED"))
        add(vpath, "enum-zero-value-unspecified", v.line());
      if (!leadingComment(vat) && !trailingComment(end)) add(vpath, "enum-value-comment", v.line());
    }
  }

  private void service(int at) {
    next();
    Tok name = next();
    if (!UPPER_CAMEL.matcher(name.text()).matches())
      add(name.text(), "service-name-upper-camel", name.line());
    if (!leadingComment(at)) add(name.text(), "service-comment", name.line());
    expect("{");
    while (true) {
      int rat = code(i);
      String t = peek().text();
      if (t.equals("}")) {
        next();
        return;
      }
      if (!t.equals("rpc")) {
        skipStatement();
        continue;
      }
      next();
      Tok rpc = next();
      String rpath = name.text() + "." + rpc.text();
      if (!UPPER_CAMEL.matcher(rpc.text()).matches())
        add(rpath, "rpc-name-upper-camel", rpc.line());
      int end;
      // (req) returns (resp) ;  or  { options }
      while (!peek().text().equals(";") && !peek().text().equals("{")) next();
      end = code(i);
      if (next().text().equals("{")) {
        int depth = 1;
        while (depth > 0) {
          String s = next().text();
          if (s.equals("{")) depth++;
          if (s.equals("}")) depth--;
        }
        end = i - 1;
      }
      if (!leadingComment(rat) && !trailingComment(end)) add(rpath, "rpc-comment", rpc.line());
    }
  }
}
