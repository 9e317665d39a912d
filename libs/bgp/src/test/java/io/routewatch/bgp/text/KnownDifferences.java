package io.routewatch.bgp.text;

import java.util.Map;

/**
 * Files where our bgpdump -m output differs from the stored bgpdump 1.6.2 reference on purpose.
 * Each entry is argued with the bytes in docs/codec.md ("Known differences from bgpdump").
 */
public final class KnownDifferences {
  /**
   * @param reference another reference file (relative to mrt/) to compare with instead, or null
   * @param expectedMismatches exact number of differing lines against the reference
   * @param ourLines exact number of lines we print, or -1
   * @param reason why the text differs (argued with bytes in docs/codec.md)
   * @param routes the typed route records per bgpdump kind ({@code
   *     io.routewatch.bgp.mrt.MrtRouteReader}, "A=2 W=2"; empty for none) when they differ from the
   *     reference for the same reason
   * @param routesNote what the typed decoder does beyond {@code reason}, or null
   */
  public record Known(
      String reference,
      int expectedMismatches,
      int ourLines,
      String reason,
      String routes,
      String routesNote) {}

  private static final String ADDPATH_UNFLAGGED =
      "BIRD wrote add-path NLRI (4-byte path id before each prefix) under"
          + " MESSAGE_AS4, a non-add-path subtype; read without path ids the bytes give prefixes such as 24.0.0.0/2"
          + " with host bits set, which we mask (RFC 4271 §4.3, as upstream bgpdump does)";

  private static final String ADDPATH_REPAIRED =
      "the typed decoder retries such an UPDATE with path ids when it does"
          + " not parse without them and reports it as REPAIRED: it yields the real routes (172.17.0.0/24 path id 1 ...)";

  public static final Map<String, Known> FILES =
      Map.of(
          "mrtparse-samples/bird_bgp",
          new Known(null, 6, 36, ADDPATH_UNFLAGGED, "A=14 STATE=12", ADDPATH_REPAIRED),
          "mrtparse-samples/bird6_bgp",
          new Known(
              null,
              39,
              20,
              ADDPATH_UNFLAGGED
                  + "; in 4 IPv6 records a path id byte 0xfd then reads as prefix length 253 > 128: bgpdump prints"
                  + " overflowed garbage (100:100::140:fd01:1/0), we reject the record (RFC 7606 §5.3) and report it",
              "A=14 STATE=12",
              ADDPATH_REPAIRED),
          "bgpkit-ris/rrc00/2000.03/updates.20000325.0345.gz",
          new Known(
              null,
              2042,
              4,
              "damaged record boundaries (manifest: reference NOT ground truth): record 5 declares withdrawn routes"
                  + " with prefix length 232 > 32; bgpdump prints 2042 garbage withdrawals (0.5.0.3/117...), we skip"
                  + " the record, then stop at the undecodable framing (record 7, length 3694573824)",
              "A=2 W=2",
              null),
          "ripe-bgpdump/updates.nlri_mask_trailing_bits.gz",
          new Known(
              "ripe-bgpdump/test_expect/updates.nlri_mask_trailing_bits.gz.bgp.gz",
              0,
              1,
              "NLRI 11.8.0.0/13 is sent with host bits set; bgpdump 1.6.2 prints 11.13.0.0/13, upstream HEAD"
                  + " (test_expect) masks to 11.8.0.0/13 as RFC 4271 §4.3 intends; we match upstream",
              "",
              "the UPDATE's NLRI field ends with a /11 whose 2 address bytes are missing: bgpdump (and our text) drop"
                  + " that prefix silently, the typed decoder follows RFC 7606 §5.3 (an NLRI field that does not parse"
                  + " means session reset, nothing in the UPDATE is trusted) and skips the record with a problem"));

  private KnownDifferences() {}
}
