package io.routewatch.collector.archive;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The directory layouts of the public MRT archives, as data.
 *
 * <ul>
 *   <li>RIPE RIS ({@link Family#RIS}, collectors {@code rrc00}…{@code rrc26}): {@code
 *       <base>/rrcNN/YYYY.MM/updates.YYYYMMDD.HHMM.gz} every 5 minutes and {@code
 *       bview.YYYYMMDD.HHMM.gz} (RIB dumps) every 8 hours.
 *   <li>RouteViews ({@link Family#ROUTEVIEWS}, collectors {@code route-views*}): {@code
 *       <base>/<collector>/bgpdata/YYYY.MM/UPDATES/updates.YYYYMMDD.HHMM.bz2} about every 15
 *       minutes and {@code RIBS/rib.YYYYMMDD.HHMM.bz2} about every 2 hours; {@code route-views2}
 *       lives at {@code <base>/bgpdata/...} without a collector directory.
 * </ul>
 *
 * The cadences are nominal only: RouteViews file minutes are irregular (1824, 1839, 2026), so files
 * are listed from the month directory's index and a file is taken to cover [its stamp, the next
 * file's stamp).
 */
public final class ArchiveLayout {
  /** Archive family: decides the directory layout and the default base URL. */
  public enum Family {
    RIS("https://data.ris.ripe.net"),
    ROUTEVIEWS("https://archive.routeviews.org");

    private final String defaultBase;

    Family(String defaultBase) {
      this.defaultBase = defaultBase;
    }

    public String defaultBase() {
      return defaultBase;
    }
  }

  /** What a file holds. */
  public enum Kind {
    UPDATES,
    RIBS;

    /** Parses {@code updates} or {@code ribs} (case-insensitive). */
    public static Kind parse(String s) {
      return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
        case "updates" -> UPDATES;
        case "ribs", "rib", "bview" -> RIBS;
        default ->
            throw new IllegalArgumentException("type must be updates or ribs, got '" + s + "'");
      };
    }
  }

  private static final Pattern COLLECTOR = Pattern.compile("rrc\\d{2}|route-views[a-z0-9.-]*");
  private static final Pattern FILE =
      Pattern.compile("(updates|bview|rib)\\.(\\d{8})\\.(\\d{4})\\.(gz|bz2)");
  static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd.HHmm");
  static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy.MM");

  private ArchiveLayout() {}

  /**
   * The family of a collector name ({@code rrcNN}: RIS, {@code route-views*}: RouteViews); a name
   * of neither form is refused with the forms accepted.
   */
  public static Family family(String collector) {
    if (collector == null || !COLLECTOR.matcher(collector).matches()) {
      throw new IllegalArgumentException(
          "unknown archive collector '"
              + collector
              + "': expected rrcNN (RIPE RIS) or route-views* (RouteViews)");
    }
    return collector.startsWith("rrc") ? Family.RIS : Family.ROUTEVIEWS;
  }

  /** The directory (ending in '/') holding {@code collector}'s files of {@code kind} in a month. */
  public static String monthDir(String base, String collector, Kind kind, LocalDateTime month) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String m = MONTH.format(month);
    if (family(collector) == Family.RIS) {
      return b + "/" + collector + "/" + m + "/";
    }
    String root = collector.equals("route-views2") ? b : b + "/" + collector;
    return root + "/bgpdata/" + m + "/" + (kind == Kind.UPDATES ? "UPDATES/" : "RIBS/");
  }

  /** A file name of the layout, parsed: its kind and the time in its name (UTC). */
  public record Name(Kind kind, long epochSecond) {}

  /**
   * Parses an archive file name ({@code updates.20100227.1600.gz}, {@code bview…}, {@code rib…});
   * empty when the name is not one of the family's MRT files (or names an impossible time).
   */
  public static Optional<Name> parse(Family family, String fileName) {
    Matcher m = FILE.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    String prefix = m.group(1);
    String ext = m.group(4);
    boolean ris = family == Family.RIS;
    if (ris != ext.equals("gz") || (ris ? prefix.equals("rib") : prefix.equals("bview"))) {
      return Optional.empty();
    }
    try {
      LocalDateTime t = LocalDateTime.parse(m.group(2) + "." + m.group(3), STAMP);
      Kind k = prefix.equals("updates") ? Kind.UPDATES : Kind.RIBS;
      return Optional.of(new Name(k, t.toEpochSecond(ZoneOffset.UTC)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
