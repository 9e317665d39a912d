package io.routewatch.state.rpki;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.routewatch.state.route.Prefix;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads VRPs from the formats relying-party software exports. The format is told by the content:
 *
 * <ul>
 *   <li>JSON ({@code {...}}): rpki-client {@code -j} ({@code "asn": 13335}) and Routinator {@code
 *       json}/{@code jsonext} ({@code "asn": "AS13335"}); only {@code roas[]} is read, with {@code
 *       asn}, {@code prefix}, {@code maxLength}; other members (metadata, {@code source[]}, {@code
 *       aspas}) are skipped without being built. Streamed: a 75 MB snapshot is never a tree.
 *   <li>CSV with a header naming {@code ASN}, {@code IP Prefix}, {@code Max Length} (Routinator
 *       {@code csv}, RIPE NCC RPKI-archive {@code roas.csv} with its leading {@code URI} column).
 *   <li>rtrclient CSV export (FORT via {@code rtrclient -e -t csv}): no header, lines {@code
 *       prefix, prefixlen, maxlen, asn}; blank lines are skipped. rtrclient prints the ASN as a
 *       signed 32-bit int, so a negative value there is read as its unsigned twin.
 * </ul>
 *
 * <p>Bounded: the (decompressed) input stops at {@link Limits#maxBytes()} and the VRP count at
 * {@link Limits#maxVrps()}; passing either fails the whole read (a truncated VRP set would turn
 * valid routes invalid). A bad row (unknown AS syntax, bad prefix, maxLength below the prefix
 * length or above 32/128) is counted in {@link Result#rejected()}, described with its line or
 * {@code roas[index]} and skipped.
 */
public final class VrpReader {
  /** Problems kept word for word per read; the rest are only counted. */
  static final int KEPT_PROBLEMS = 20;

  /** Bounds on one source. */
  public record Limits(long maxBytes, int maxVrps) {}

  /** What a source held. {@code problems} holds the first {@value #KEPT_PROBLEMS} rejected rows. */
  public record Result(
      String source, String format, List<Vrp> vrps, long rejected, List<String> problems) {}

  private final String source;
  private final Limits limits;
  private final List<Vrp> vrps = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();
  private long rejected;

  private VrpReader(String source, Limits limits) {
    this.source = source;
    this.limits = limits;
  }

  /** Reads a file; a name ending in {@code .gz} is gunzipped (the byte cap applies after that). */
  public static Result read(Path file, Limits limits) throws IOException, VrpFormatException {
    try (InputStream raw = Files.newInputStream(file)) {
      InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
      return read(in, file.toString(), limits);
    }
  }

  /** Reads one source; {@code source} names it in errors. Does not close {@code in}. */
  public static Result read(InputStream in, String source, Limits limits)
      throws IOException, VrpFormatException {
    VrpReader r = new VrpReader(source, limits);
    BufferedInputStream b =
        new BufferedInputStream(new Capped(in, limits.maxBytes(), source), 1 << 16);
    b.mark(4096);
    int c;
    int peeked = 0;
    // skip leading white space and a UTF-8 byte order mark to tell JSON from CSV
    while ((c = b.read()) >= 0
        && ++peeked < 4000
        && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xEF || c == 0xBB
            || c == 0xBF)) {
      // peek on
    }
    b.reset();
    if (c < 0) {
      throw new VrpFormatException(source + ": empty");
    }
    String format;
    if (c == '{') {
      format = "json";
      r.readJson(b);
    } else {
      format = r.readCsv(b);
    }
    return new Result(source, format, List.copyOf(r.vrps), r.rejected, List.copyOf(r.problems));
  }

  private void readJson(InputStream in) throws IOException, VrpFormatException {
    // the caller owns the stream (an HTTP body, a gunzip wrapper): the parser must not close it
    JsonFactory factory =
        JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();
    try (JsonParser p = factory.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new VrpFormatException(where(p) + ": top level is not an object");
      }
      boolean roas = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if ("roas".equals(name)) {
          if (t != JsonToken.START_ARRAY) {
            throw new VrpFormatException(where(p) + ": \"roas\" is not an array");
          }
          roas = true;
          readRoas(p);
        } else {
          p.skipChildren();
        }
      }
      if (!roas) {
        throw new VrpFormatException(source + ": no \"roas\" array");
      }
    } catch (JsonProcessingException e) {
      throw new VrpFormatException(
          source
              + ": malformed JSON: "
              + e.getOriginalMessage()
              + " at line "
              + (e.getLocation() == null ? -1 : e.getLocation().getLineNr()),
          e);
    }
  }

  private void readRoas(JsonParser p) throws IOException, VrpFormatException {
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new VrpFormatException(where(p) + ": input ends inside \"roas\"");
      }
      String at = "roas[" + index + "] (line " + p.currentLocation().getLineNr() + ")";
      index++;
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        reject(at, "not an object");
        continue;
      }
      String asn = null;
      String prefix = null;
      String maxLength = null;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        switch (name) {
          case "asn" -> asn = scalar(p, t);
          case "prefix" -> prefix = scalar(p, t);
          case "maxLength" -> maxLength = scalar(p, t);
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new VrpFormatException(where(p) + ": input ends inside " + at);
      }
      add(at, asn, prefix, maxLength);
    }
  }

  /** A string or number member as text; null (reported as missing) for anything else. */
  private static String scalar(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  private String readCsv(InputStream in) throws IOException, VrpFormatException {
    BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    String line;
    long lineNo = 0;
    int asnCol = -1;
    int prefixCol = -1;
    int maxCol = -1;
    int columns = -1;
    String format = null;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      for (int i = 0; i < f.length; i++) {
        f[i] = unquote(f[i].trim());
      }
      String at = "line " + lineNo;
      if (format == null) {
        for (int i = 0; i < f.length; i++) {
          switch (f[i].toLowerCase(Locale.ROOT)) {
            case "asn" -> asnCol = i;
            case "ip prefix", "prefix" -> prefixCol = i;
            case "max length", "maxlength", "max_length" -> maxCol = i;
            default -> {}
          }
        }
        if (asnCol >= 0 && prefixCol >= 0 && maxCol >= 0) {
          format = "csv";
          columns = f.length;
          continue;
        }
        if (f.length == 4 && f[0].indexOf('/') < 0 && isDigits(f[1])) {
          format = "rtrclient-csv";
        } else {
          throw new VrpFormatException(
              source
                  + ": line "
                  + lineNo
                  + ": neither JSON, a CSV header with ASN, IP Prefix, Max Length,"
                  + " nor rtrclient 'prefix, prefixlen, maxlen, asn'");
        }
      }
      if (format.equals("csv")) {
        if (f.length < columns) {
          reject(at, f.length + " fields, header has " + columns);
          continue;
        }
        add(at, f[asnCol], f[prefixCol], f[maxCol]);
      } else {
        if (f.length != 4) {
          reject(at, f.length + " fields, expected prefix, prefixlen, maxlen, asn");
          continue;
        }
        // rtrclient prints the 32-bit ASN as a signed int: -6 is AS4294967290 (the FORT 2020
        // export has two such rows)
        String asn = f[3];
        if (asn.startsWith("-") && asn.length() <= 11 && isDigits(asn.substring(1))) {
          long v = Long.parseLong(asn);
          asn = v >= Integer.MIN_VALUE ? Long.toString(v & 0xffff_ffffL) : asn;
        }
        add(at, asn, f[0] + "/" + f[1], f[2]);
      }
    }
    if (format == null) {
      throw new VrpFormatException(source + ": no VRP rows");
    }
    return format;
  }

  private void add(String at, String asnText, String prefixText, String maxText)
      throws VrpFormatException {
    if (asnText == null || prefixText == null || maxText == null) {
      reject(
          at, "missing " + (asnText == null ? "asn" : prefixText == null ? "prefix" : "maxLength"));
      return;
    }
    long asn = parseAsn(asnText);
    if (asn < 0) {
      reject(at, "bad ASN '" + clip(asnText) + "'");
      return;
    }
    if (!isDigits(maxText) || maxText.length() > 3) {
      reject(at, "bad maxLength '" + clip(maxText) + "'");
      return;
    }
    Prefix prefix;
    try {
      prefix = Prefix.parse(prefixText);
    } catch (IllegalArgumentException e) {
      reject(at, "bad prefix '" + clip(prefixText) + "'");
      return;
    }
    int max = Integer.parseInt(maxText);
    Vrp vrp;
    try {
      vrp = new Vrp(prefix, max, asn);
    } catch (IllegalArgumentException e) {
      reject(at, e.getMessage());
      return;
    }
    if (vrps.size() >= limits.maxVrps()) {
      throw new VrpFormatException(
          source + ": " + at + ": more than " + limits.maxVrps() + " VRPs");
    }
    vrps.add(vrp);
  }

  /** {@code 13335}, {@code AS13335} or {@code as13335}; -1 if not an unsigned 32-bit AS number. */
  static long parseAsn(String s) {
    String d = s.regionMatches(true, 0, "AS", 0, 2) ? s.substring(2) : s;
    if (!isDigits(d) || d.length() > 10) {
      return -1;
    }
    long v = Long.parseLong(d);
    return v > 0xffff_ffffL ? -1 : v;
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"'
        ? s.substring(1, s.length() - 1)
        : s;
  }

  private static String clip(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  private void reject(String at, String why) {
    rejected++;
    if (problems.size() < KEPT_PROBLEMS) {
      problems.add(source + ": " + at + ": " + why);
    }
  }

  private String where(JsonParser p) {
    return source + ": line " + p.currentLocation().getLineNr();
  }

  /** Fails the read once more than {@code max} bytes came through. */
  private static final class Capped extends FilterInputStream {
    private final long max;
    private final String source;
    private long count;

    Capped(InputStream in, long max, String source) {
      super(in);
      this.max = max;
      this.source = source;
    }

    private void account(long n) throws IOException {
      if (n > 0 && (count += n) > max) {
        throw new SizeExceeded(source + ": larger than " + max + " bytes");
      }
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      account(c < 0 ? 0 : 1);
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      account(n);
      return n;
    }
  }

  /** The byte cap was passed (an IOException so it crosses the JSON parser unchanged). */
  static final class SizeExceeded extends IOException {
    SizeExceeded(String message) {
      super(message);
    }
  }
}
