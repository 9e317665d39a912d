package io.routewatch.alert.watch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The YAML subset the watch file needs: block maps and lists, plain/quoted scalars, flow maps
 * {@code {a: 1}}, comments. No YAML library is on the alert service's classpath (see the module
 * README); anchors, multi-line scalars and tags are refused with the line number.
 */
public final class WatchYamlParser {
  private record Line(int no, int indent, String text) {}

  private final List<Line> lines = new ArrayList<>();
  private int pos;

  private WatchYamlParser(String text) {
    String[] raw = text.split("\r?\n", -1);
    for (int i = 0; i < raw.length; i++) {
      String s = stripComment(raw[i]);
      if (s.isBlank() || s.trim().equals("---")) {
        continue;
      }
      if (s.contains("\t")) {
        throw error(i + 1, "tabs are not allowed for indentation");
      }
      int indent = 0;
      while (s.charAt(indent) == ' ') {
        indent++;
      }
      String t = s.trim();
      if (t.startsWith("&")
          || t.startsWith("*")
          || t.startsWith("!")
          || t.endsWith("|")
          || t.endsWith(">")) {
        throw error(i + 1, "anchors, tags and block scalars are not supported");
      }
      lines.add(new Line(i + 1, indent, t));
    }
  }

  /** Parses a document into nested Map/List/String values. */
  public static Object parse(String text) {
    WatchYamlParser p = new WatchYamlParser(text);
    if (p.lines.isEmpty()) {
      return new LinkedHashMap<String, Object>();
    }
    Object v = p.block(p.lines.get(0).indent());
    if (p.pos < p.lines.size()) {
      throw error(p.lines.get(p.pos).no(), "unexpected indentation");
    }
    return v;
  }

  private Object block(int indent) {
    return lines.get(pos).text().startsWith("-") ? list(indent) : map(indent);
  }

  private Map<String, Object> map(int indent) {
    Map<String, Object> m = new LinkedHashMap<>();
    while (pos < lines.size()
        && lines.get(pos).indent() == indent
        && !lines.get(pos).text().startsWith("- ")) {
      Line l = lines.get(pos++);
      int colon = keyColon(l.text());
      if (colon < 0) {
        throw error(l.no(), "expected 'key: value'");
      }
      String key = unquote(l.text().substring(0, colon).trim());
      String rest = l.text().substring(colon + 1).trim();
      if (m.containsKey(key)) {
        throw error(l.no(), "duplicate key '" + key + "'");
      }
      m.put(key, rest.isEmpty() ? nested(indent, l) : scalarOrFlow(rest, l.no()));
    }
    return m;
  }

  private Object nested(int indent, Line l) {
    if (pos < lines.size()) {
      Line n = lines.get(pos);
      if (n.indent() > indent || (n.indent() == indent && n.text().startsWith("- "))) {
        return block(n.indent());
      }
    }
    return "";
  }

  private List<Object> list(int indent) {
    List<Object> out = new ArrayList<>();
    while (pos < lines.size()
        && lines.get(pos).indent() == indent
        && lines.get(pos).text().startsWith("-")) {
      Line l = lines.get(pos);
      String item = l.text().substring(1).trim();
      if (item.isEmpty()) {
        pos++;
        out.add(
            pos < lines.size() && lines.get(pos).indent() > indent
                ? block(lines.get(pos).indent())
                : "");
      } else if (keyColon(item) > 0 && !item.startsWith("{")) {
        // "- key: v" starts a map whose keys sit two columns right of the dash
        int inner = indent + (l.text().length() - item.length());
        lines.set(pos, new Line(l.no(), inner, item));
        out.add(map(inner));
      } else {
        pos++;
        out.add(scalarOrFlow(item, l.no()));
      }
    }
    return out;
  }

  private static Object scalarOrFlow(String s, int no) {
    if (s.startsWith("{")) {
      if (!s.endsWith("}")) {
        throw error(no, "flow map must end on the same line");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      String body = s.substring(1, s.length() - 1).trim();
      if (!body.isEmpty()) {
        for (String part : body.split(",")) {
          int c = keyColon(part.trim());
          if (c < 0) {
            throw error(no, "expected 'key: value' in flow map");
          }
          String p = part.trim();
          m.put(unquote(p.substring(0, c).trim()), unquote(p.substring(c + 1).trim()));
        }
      }
      return m;
    }
    if (s.startsWith("[")) {
      if (!s.endsWith("]")) {
        throw error(no, "flow list must end on the same line");
      }
      List<Object> l = new ArrayList<>();
      for (String part : s.substring(1, s.length() - 1).split(",")) {
        if (!part.isBlank()) {
          l.add(unquote(part.trim()));
        }
      }
      return l;
    }
    return unquote(s);
  }

  /** Index of the ':' that ends a key (followed by space or end), outside quotes. */
  private static int keyColon(String s) {
    boolean q1 = false;
    boolean q2 = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' && !q2) {
        q1 = !q1;
      } else if (c == '"' && !q1) {
        q2 = !q2;
      } else if (c == ':' && !q1 && !q2 && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
        return i;
      }
    }
    return -1;
  }

  private static String unquote(String s) {
    if (s.length() >= 2
        && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("'") && s.endsWith("'")))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }

  private static String stripComment(String s) {
    boolean q1 = false;
    boolean q2 = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' && !q2) {
        q1 = !q1;
      } else if (c == '"' && !q1) {
        q2 = !q2;
      } else if (c == '#' && !q1 && !q2 && (i == 0 || s.charAt(i - 1) == ' ')) {
        return s.substring(0, i);
      }
    }
    return s;
  }

  private static IllegalArgumentException error(int line, String msg) {
    return new IllegalArgumentException("watch file line " + line + ": " + msg);
  }
}
