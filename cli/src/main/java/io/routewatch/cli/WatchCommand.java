package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.routewatch.cli.watchimport.ForeignWatchList;
import io.routewatch.proto.v1.AddWatchRequest;
import io.routewatch.proto.v1.AlertServiceGrpc;
import io.routewatch.proto.v1.GetOriginPrefixesRequest;
import io.routewatch.proto.v1.GetOriginPrefixesResponse;
import io.routewatch.proto.v1.ImportWatchRequest;
import io.routewatch.proto.v1.ImportWatchResponse;
import io.routewatch.proto.v1.ListWatchRequest;
import io.routewatch.proto.v1.ListWatchResponse;
import io.routewatch.proto.v1.OriginPrefix;
import io.routewatch.proto.v1.RemoveWatchRequest;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.WatchEntry;
import io.routewatch.proto.v1.WatchKind;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routewatch watch add|import|generate|rm|ls}: the alert service's watch list (what alerts
 * are about).
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
      "The watch list of the alert service: origin ASes, prefixes and countries that alerts are about.",
      "",
      "Examples:",
      "  routewatch watch add AS131279 --description 'Star JV, North Korea' --set min-peer-asns=3",
      "  routewatch watch add 175.45.176.0/22",
      "  routewatch watch import --format bgpalerter prefixes.yml",
      "  routewatch watch generate AS36561 --group youtube",
      "  routewatch watch ls",
      "  routewatch watch rm KP",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "2:bad usage (e.g. unknown override key)",
      "3:alert service unreachable",
      "4:refused (e.g. rm of an entry not on the list)"
    })
final class WatchCommand {
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add an AS, prefix or country (or replace its overrides).")
  int add(
      @Mixin Endpoints endpoints,
      @Parameters(paramLabel = "AS|PREFIX|CC", description = "AS131279, 175.45.176.0/22 or KP")
          String value,
      @Option(
              names = "--set",
              paramLabel = "KEY=VALUE",
              description =
                  "per-entry override of a noise rule (repeatable), e.g. min-peer-asns=1, hold=PT30S; keys in docs/alerts.md")
          Map<String, String> overrides,
      @Option(
              names = "--description",
              paramLabel = "TEXT",
              description = "free text shown in alert descriptions")
          String description,
      @Option(names = "--json", description = "JSON output") boolean json)
      throws Exception {
    WatchEntry.Builder e = WatchEntry.newBuilder().setKind(kind(value)).setValue(value.trim());
    if (overrides != null) {
      e.putAllOverrides(overrides);
    }
    if (description != null) {
      e.setDescription(description);
    }
    WatchEntry added =
        call(endpoints, s -> s.addWatch(AddWatchRequest.newBuilder().setEntry(e).build()));
    if (json) {
      Json.print(added);
    } else {
      System.out.println("watching " + describe(added));
    }
    return 0;
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Import the watch list of another monitor: BGPalerter's prefixes.yml or an ARTEMIS config.yaml.",
        "Prefixes become PREFIX entries with their origin ASes (origins=…), BGPalerter's monitorASns ASN",
        "entries; what has no routewatch equivalent is listed, not guessed. Entries already on the list",
        "are replaced. Sent in batches, each stored all or nothing.",
      })
  int importList(
      @Mixin Endpoints endpoints,
      @Option(
              names = "--format",
              required = true,
              paramLabel = "bgpalerter|artemis",
              description = "the file's format")
          String format,
      @Option(names = "--dry-run", description = "print the entries instead of sending them")
          boolean dryRun,
      @Option(names = "--json", description = "with --dry-run: the entries as JSON") boolean json,
      @Parameters(paramLabel = "FILE") java.nio.file.Path file)
      throws Exception {
    ForeignWatchList.Format f;
    try {
      f = ForeignWatchList.Format.valueOf(format.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--format must be bgpalerter or artemis, not '" + format + "'");
    }
    long t0 = System.nanoTime();
    ForeignWatchList.Result r = ForeignWatchList.read(file, f);
    if (dryRun) {
      if (json) {
        Json.print(ListWatchResponse.newBuilder().addAllEntries(r.entries()).build());
      } else {
        r.entries()
            .forEach(
                e ->
                    System.out.println(
                        describe(e)
                            + (e.getDescription().isEmpty()
                                ? ""
                                : "  \"" + e.getDescription() + "\"")));
      }
    } else {
      String source = f.name().toLowerCase(java.util.Locale.ROOT);
      int added = 0;
      int updated = 0;
      for (List<WatchEntry> batch : batches(r.entries())) {
        ImportWatchResponse resp =
            call(
                endpoints,
                60,
                s ->
                    s.importWatch(
                        ImportWatchRequest.newBuilder()
                            .addAllEntries(batch)
                            .setSource(source)
                            .build()));
        added += resp.getAdded();
        updated += resp.getUpdated();
      }
      System.out.printf(
          "imported %d entries from %s (%d new, %d replaced) in %.1f s%n",
          r.entries().size(), file, added, updated, (System.nanoTime() - t0) / 1e9);
    }
    for (String n : r.notes()) {
      System.err.println("note: " + n);
    }
    return 0;
  }

  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Watch the prefixes origin ASes announce now, as state's RIB has them (all VPs, both families):",
        "one PREFIX entry per prefix with origins=<every origin it has now>, so any other origin is a",
        "Hijack at first sight (BGPalerter's generate -a AS…). A prefix with several origins now (MOAS)",
        "is listed in a note: check it before trusting its origins. Entries already on the list are",
        "replaced.",
      })
  int generate(
      @Mixin Endpoints endpoints,
      @Parameters(paramLabel = "AS", arity = "1..100", description = "origin ASes, e.g. AS36561")
          List<String> asns,
      @Option(
              names = "--exclude-more-specifics",
              description =
                  "leave out prefixes inside another generated prefix (they stay covered)")
          boolean excludeMoreSpecifics,
      @Option(
              names = "--ignore-more-specifics",
              description =
                  "set more-specific.enabled=false: no sub-prefix alerts (BGPalerter -i / ignoreMorespecifics)")
          boolean ignoreMoreSpecifics,
      @Option(
              names = "--group",
              paramLabel = "NAME",
              description = "description of every entry (route by it in Alertmanager)")
          String group,
      @Option(names = "--dry-run", description = "print the entries instead of sending them")
          boolean dryRun,
      @Option(names = "--json", description = "with --dry-run: the entries as JSON") boolean json)
      throws Exception {
    GetOriginPrefixesRequest.Builder req = GetOriginPrefixesRequest.newBuilder();
    for (String a : asns) {
      req.addAsns((int) Targets.asn(a));
    }
    ManagedChannel ch = Endpoints.channel(endpoints.state);
    GetOriginPrefixesResponse resp;
    try {
      resp =
          StateQueryGrpc.newBlockingStub(ch)
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .getOriginPrefixes(req.build());
    } finally {
      Endpoints.close(ch);
    }
    ForeignWatchList.Result r =
        generated(resp.getPrefixesList(), excludeMoreSpecifics, ignoreMoreSpecifics, group);
    if (dryRun) {
      if (json) {
        Json.print(ListWatchResponse.newBuilder().addAllEntries(r.entries()).build());
      } else {
        r.entries().forEach(e -> System.out.println(describe(e)));
      }
    } else {
      int added = 0;
      int updated = 0;
      for (List<WatchEntry> batch : batches(r.entries())) {
        ImportWatchResponse ir =
            call(
                endpoints,
                60,
                s ->
                    s.importWatch(
                        ImportWatchRequest.newBuilder()
                            .addAllEntries(batch)
                            .setSource("generate")
                            .build()));
        added += ir.getAdded();
        updated += ir.getUpdated();
      }
      System.out.printf(
          "generated %d PREFIX entries for %s (%d new, %d replaced)%n",
          r.entries().size(), String.join(" ", asns), added, updated);
    }
    for (String n : r.notes()) {
      System.err.println("note: " + n);
    }
    return r.entries().isEmpty() ? Main.EXIT_FINDINGS : 0;
  }

  /** State's prefixes → PREFIX entries with their origins now; MOAS prefixes noted. */
  static ForeignWatchList.Result generated(
      List<OriginPrefix> prefixes,
      boolean excludeMoreSpecifics,
      boolean ignoreMoreSpecifics,
      String group) {
    List<WatchEntry> out = new java.util.ArrayList<>();
    List<String> notes = new java.util.ArrayList<>();
    List<byte[]> kept = new java.util.ArrayList<>();
    List<Integer> keptLen = new java.util.ArrayList<>();
    for (OriginPrefix p : prefixes) {
      String[] parts = p.getPrefix().split("/");
      byte[] addr = address(parts[0]);
      int len = Integer.parseInt(parts[1]);
      if (excludeMoreSpecifics) {
        boolean covered = false;
        for (int i = 0; i < kept.size() && !covered; i++) {
          covered = contains(kept.get(i), keptLen.get(i), addr, len);
        }
        if (covered) {
          continue;
        }
      }
      kept.add(addr);
      keptLen.add(len);
      String origins =
          p.getOriginsList().stream()
              .map(o -> "AS" + Integer.toUnsignedString(o))
              .collect(Collectors.joining(", "));
      WatchEntry.Builder e =
          WatchEntry.newBuilder()
              .setKind(WatchKind.PREFIX)
              .setValue(p.getPrefix())
              .putOverrides("origins", origins);
      if (ignoreMoreSpecifics) {
        e.putOverrides("more-specific.enabled", "false");
      }
      if (group != null && !group.isBlank()) {
        e.setDescription(group.trim());
      }
      out.add(e.build());
      if (p.getOriginsCount() > 1) {
        notes.add(
            p.getPrefix()
                + " has several origins now ("
                + origins
                + "): all are allowed; check them");
      }
    }
    return new ForeignWatchList.Result(out, notes);
  }

  /** An address literal's bytes (state sends literals: no name lookup happens). */
  static byte[] address(String literal) {
    if (!literal.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an address literal: '" + literal + "'");
    }
    try {
      return java.net.InetAddress.getByName(literal).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an address literal: '" + literal + "'", e);
    }
  }

  /** Is {@code addr/len} inside {@code net/netLen} (same family, netLen <= len)? */
  static boolean contains(byte[] net, int netLen, byte[] addr, int len) {
    if (net.length != addr.length || netLen > len) {
      return false;
    }
    int full = netLen / 8;
    for (int i = 0; i < full; i++) {
      if (net[i] != addr[i]) {
        return false;
      }
    }
    int rest = netLen % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (net[full] & mask) == (addr[full] & mask);
  }

  /** Request-sized slices: at most 10,000 entries and ~200 kB (the service takes 256 KiB). */
  static List<List<WatchEntry>> batches(List<WatchEntry> entries) {
    List<List<WatchEntry>> out = new java.util.ArrayList<>();
    List<WatchEntry> cur = new java.util.ArrayList<>();
    int bytes = 0;
    for (WatchEntry e : entries) {
      int n = e.getSerializedSize() + 4;
      if (!cur.isEmpty() && (cur.size() == 10_000 || bytes + n > 200_000)) {
        out.add(cur);
        cur = new java.util.ArrayList<>();
        bytes = 0;
      }
      cur.add(e);
      bytes += n;
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  @Command(
      name = "rm",
      aliases = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove an entry from the watch list.")
  int rm(@Mixin Endpoints endpoints, @Parameters(paramLabel = "AS|PREFIX|CC") String value)
      throws Exception {
    call(
        endpoints,
        s ->
            s.removeWatch(
                RemoveWatchRequest.newBuilder()
                    .setKind(kind(value))
                    .setValue(value.trim())
                    .build()));
    System.out.println("no longer watching " + value.trim());
    return 0;
  }

  @Command(
      name = "ls",
      aliases = "list",
      mixinStandardHelpOptions = true,
      description = "Show the watch list.")
  int ls(
      @Mixin Endpoints endpoints,
      @Option(names = "--json", description = "JSON output for scripts") boolean json)
      throws Exception {
    ListWatchResponse r = call(endpoints, s -> s.listWatch(ListWatchRequest.getDefaultInstance()));
    if (json) {
      Json.print(r);
      return 0;
    }
    if (r.getEntriesCount() == 0) {
      System.out.println("the watch list is empty (add one: routewatch watch add AS131279)");
      return 0;
    }
    Table t = new Table("KIND", "VALUE", "NAME", "SOURCE", "OVERRIDES", "DESCRIPTION");
    for (WatchEntry e : r.getEntriesList()) {
      String name =
          e.getKind() == WatchKind.ASN && Targets.isAsn(e.getValue())
              ? AsNames.of(Targets.asn(e.getValue()))
              : "";
      t.row(
          e.getKind(),
          e.getValue(),
          name.length() > 32 ? name.substring(0, 31) + "…" : name,
          e.getSource(),
          overrides(e),
          e.getDescription());
    }
    t.print(System.out);
    return 0;
  }

  static WatchKind kind(String value) {
    if (Targets.isPrefix(value)) {
      return WatchKind.PREFIX;
    }
    if (Targets.isAsn(value)) {
      return WatchKind.ASN;
    }
    if (Targets.isCountry(value)) {
      return WatchKind.COUNTRY;
    }
    throw new IllegalArgumentException(
        "'"
            + value
            + "' is neither an ASN (AS131279), a prefix (175.45.176.0/22) nor a country (KP)");
  }

  private static String describe(WatchEntry e) {
    String s = e.getKind() + " " + e.getValue();
    if (!e.getOverridesMap().isEmpty()) {
      s += " with " + overrides(e);
    }
    return s;
  }

  private static String overrides(WatchEntry e) {
    return new TreeMap<>(e.getOverridesMap())
        .entrySet().stream()
            .map(x -> x.getKey() + "=" + x.getValue())
            .collect(Collectors.joining(","));
  }

  private static <T> T call(
      Endpoints endpoints, Function<AlertServiceGrpc.AlertServiceBlockingStub, T> f) {
    return call(endpoints, 10, f);
  }

  private static <T> T call(
      Endpoints endpoints, int seconds, Function<AlertServiceGrpc.AlertServiceBlockingStub, T> f) {
    ManagedChannel ch = Endpoints.channel(endpoints.alert);
    try {
      return f.apply(
          AlertServiceGrpc.newBlockingStub(ch).withDeadlineAfter(seconds, TimeUnit.SECONDS));
    } finally {
      Endpoints.close(ch);
    }
  }
}
