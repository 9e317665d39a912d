package io.routewatch.proto;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the API reference (docs/api.md) from the .proto files' own comments: per file, its
 * services with every RPC (request, response, streaming, comment), then its messages (fields with
 * number, type and comment; oneof members marked) and enums. Line-oriented, for the proto3 style
 * this repository writes (ProtoLintTest keeps it that way): a declaration's comment is the run of
 * {@code //} lines right above it plus its trailing {@code //} comment.
 */
final class ProtoDoc {
  private ProtoDoc() {}

  private static final Pattern SERVICE = Pattern.compile("^service\\s+(\\w+)\\s*\\{");
  private static final Pattern MESSAGE = Pattern.compile("^message\\s+(\\w+)\\s*\\{");
  private static final Pattern ENUM = Pattern.compile("^enum\\s+(\\w+)\\s*\\{");
  private static final Pattern ONEOF = Pattern.compile("^oneof\\s+(\\w+)\\s*\\{");
  private static final Pattern RPC =
      Pattern.compile(
          "^rpc\\s+(\\w+)\\s*\\(\\s*(stream\\s+)?([\\w.]+)\\s*\\)\\s*returns\\s*\\(\\s*(stream\\s+)?([\\w.]+)\\s*\\)");
  private static final Pattern FIELD =
      Pattern.compile(
          "^(repeated\\s+|optional\\s+)?(map<\\s*\\w+\\s*,\\s*[\\w.]+\\s*>|[\\w.]+)\\s+(\\w+)\\s*=\\s*(\\d+)");
  private static final Pattern VALUE = Pattern.compile("^(\\w+)\\s*=\\s*(-?\\d+)");

  /** The markdown section for one file ({@code name} as shown, {@code text} its content). */
  static String render(String name, String text) {
    StringBuilder out = new StringBuilder();
    List<String> pending = new ArrayList<>(); // comment lines above the next declaration
    List<String> header = new ArrayList<>(); // the file's leading comment
    boolean seenCode = false;
    String block = null; // "service", "message", "enum"
    String oneof = null;
    StringBuilder rows = new StringBuilder();
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.startsWith("//")) {
        String c = line.substring(2).strip();
        if (!seenCode) {
          header.add(c);
        } else {
          pending.add(c);
        }
        continue;
      }
      if (line.isEmpty()) {
        if (block == null) {
          pending.clear(); // a comment separated by a blank line belongs to nothing below
        }
        continue;
      }
      if (!seenCode) {
        seenCode = true;
        out.append("## `").append(name).append("`\n\n");
        if (!header.isEmpty()) {
          out.append(String.join(" ", header)).append("\n\n");
        }
      }
      String code = line;
      String trailing = "";
      int slash = line.indexOf("//");
      if (slash >= 0) {
        code = line.substring(0, slash).strip();
        trailing = line.substring(slash + 2).strip();
      }
      String doc = doc(pending, trailing);
      pending.clear();
      Matcher m;
      if (block == null) {
        if ((m = SERVICE.matcher(code)).find()) {
          block = "service";
          out.append("### service `").append(m.group(1)).append("`\n\n");
          if (!doc.isEmpty()) {
            out.append(doc).append("\n\n");
          }
          rows.setLength(0);
        } else if ((m = MESSAGE.matcher(code)).find()) {
          block = "message";
          out.append("### message `").append(m.group(1)).append("`\n\n");
          if (!doc.isEmpty()) {
            out.append(doc).append("\n\n");
          }
          rows.setLength(0);
        } else if ((m = ENUM.matcher(code)).find()) {
          block = "enum";
          out.append("### enum `").append(m.group(1)).append("`\n\n");
          if (!doc.isEmpty()) {
            out.append(doc).append("\n\n");
          }
          rows.setLength(0);
        }
        if (block != null && code.endsWith("}")) {
          block = null; // an empty block on one line: `message Empty {}`
        }
        continue;
      }
      if (code.startsWith("}")) {
        if (oneof != null) {
          oneof = null;
          continue;
        }
        out.append(table(block, rows));
        block = null;
        continue;
      }
      switch (block) {
        case "service" -> {
          if ((m = RPC.matcher(code)).find()) {
            rows.append("| `")
                .append(m.group(1))
                .append("` | ")
                .append(m.group(2) != null ? "stream " : "")
                .append('`')
                .append(m.group(3))
                .append("` | ")
                .append(m.group(4) != null ? "stream " : "")
                .append('`')
                .append(m.group(5))
                .append("` | ")
                .append(cell(doc))
                .append(" |\n");
          }
        }
        case "message" -> {
          if ((m = ONEOF.matcher(code)).find()) {
            oneof = m.group(1);
          } else if ((m = FIELD.matcher(code)).find()) {
            String type = (m.group(1) == null ? "" : m.group(1).strip() + " ") + m.group(2);
            rows.append("| `")
                .append(m.group(3))
                .append("` | ")
                .append(m.group(4))
                .append(" | `")
                .append(type.replace("|", "\\|"))
                .append("` | ")
                .append(oneof == null ? "" : "oneof `" + oneof + "`: ")
                .append(cell(doc))
                .append(" |\n");
          } else if (code.startsWith("reserved")) {
            rows.append("| _")
                .append(code.replace(";", "").strip())
                .append("_ | | | never reused |\n");
          }
        }
        default -> {
          if ((m = VALUE.matcher(code)).find()) {
            rows.append("| `")
                .append(m.group(1))
                .append("` | ")
                .append(m.group(2))
                .append(" | ")
                .append(cell(doc))
                .append(" |\n");
          }
        }
      }
    }
    return out.toString();
  }

  private static String doc(List<String> above, String trailing) {
    List<String> all = new ArrayList<>(above);
    if (!trailing.isEmpty()) {
      all.add(trailing);
    }
    return String.join(" ", all).strip();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }

  private static String table(String block, StringBuilder rows) {
    if (rows.length() == 0) {
      return "";
    }
    String head =
        switch (block) {
          case "service" -> "| RPC | request | response | what |\n| --- | --- | --- | --- |\n";
          case "message" -> "| field | # | type | meaning |\n| --- | ---: | --- | --- |\n";
          default -> "| value | # | meaning |\n| --- | ---: | --- |\n";
        };
    return head + rows + "\n";
  }
}
