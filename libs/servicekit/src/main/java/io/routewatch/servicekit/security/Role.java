package io.routewatch.servicekit.security;

import java.util.Locale;
import java.util.Set;

/**
 * What a credential may do. Every gRPC method and REST route needs one ({@link #of(String)}, {@link
 * #ofHttp(String)}):
 *
 * <ul>
 *   <li>{@link #INGEST}: publish route events into state and the shard-to-shard calls (collector →
 *       state, state ↔ state); nothing else;
 *   <li>{@link #READ}: queries, the change stream, alerts and the watch list as a reader, import
 *       status (dashboards, the page, alert → state);
 *   <li>{@link #ADMIN}: changes (watch-list edits and the watched space the alert service hands
 *       state, starting and cancelling imports) and all that {@link #READ} may.
 * </ul>
 *
 * The single {@code routewatch.security.api-token} holds all three.
 */
public enum Role {
  READ,
  INGEST,
  ADMIN;

  /** gRPC services whose every method is internal: state's ingest and its shard fan-out. */
  private static final Set<String> INGEST_SERVICES =
      Set.of("routewatch.v1.IngestService", "routewatch.v1.StateShard");

  /** gRPC methods that change something an operator owns. */
  private static final Set<String> ADMIN_METHODS =
      Set.of(
          "routewatch.v1.AlertService/AddWatch",
          "routewatch.v1.AlertService/RemoveWatch",
          "routewatch.v1.AlertService/ImportWatch",
          "routewatch.v1.ImportService/StartImport",
          "routewatch.v1.ImportService/CancelImport",
          // decides which announcements state's journal reports: hiding a hijack is an edit
          "routewatch.v1.StateChanges/SetWatchedSpace");

  /** The role a gRPC method needs, by its full name ({@code package.Service/Method}). */
  public static Role of(String fullMethodName) {
    int slash = fullMethodName.indexOf('/');
    String service = slash < 0 ? fullMethodName : fullMethodName.substring(0, slash);
    if (INGEST_SERVICES.contains(service)) {
      return INGEST;
    }
    return ADMIN_METHODS.contains(fullMethodName) ? ADMIN : READ;
  }

  /** The role a REST call needs: reading is {@link #READ}, anything that writes {@link #ADMIN}. */
  public static Role ofHttp(String method) {
    return switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD", "OPTIONS" -> READ;
      default -> ADMIN;
    };
  }

  /** Whether a credential holding {@code held} may do what needs this role. */
  public boolean grantedBy(Set<Role> held) {
    return held.contains(this) || (this == READ && held.contains(ADMIN));
  }
}
