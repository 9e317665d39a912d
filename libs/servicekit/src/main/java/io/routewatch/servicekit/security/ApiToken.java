package io.routewatch.servicekit.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured credentials, read once: the all-roles {@code api-token} and the per-role tokens
 * ({@code tokens.read|ingest|admin}). Application-scoped, so users get a client proxy and the
 * config is read at the first call, at run time: RESTEasy Reactive builds its filters during static
 * init, when runtime config mappings do not exist yet (and a native image would otherwise bake the
 * tokens in at build time).
 */
@ApplicationScoped
public class ApiToken {
  private record Credential(BearerToken token, Set<Role> roles) {}

  private final List<Credential> credentials = new ArrayList<>();
  private final Map<Role, String> clientHeaders = new EnumMap<>(Role.class);
  private final Set<String> openGrpcServices;

  ApiToken(SecurityConfig config) {
    Optional<String> all = clean(config.apiToken());
    all.ifPresent(
        t -> credentials.add(new Credential(new BearerToken(t), EnumSet.allOf(Role.class))));
    add(config.tokens().read(), Role.READ);
    add(config.tokens().ingest(), Role.INGEST);
    add(config.tokens().admin(), Role.ADMIN);
    for (Role r : Role.values()) {
      // what this service's own clients send for a call needing r: the role's token, else the
      // all-roles token (admin also reads)
      Optional<String> t =
          switch (r) {
            case READ -> clean(config.tokens().read()).or(() -> clean(config.tokens().admin()));
            case INGEST -> clean(config.tokens().ingest());
            case ADMIN -> clean(config.tokens().admin());
          };
      t.or(() -> all).ifPresent(v -> clientHeaders.put(r, BearerToken.header(v)));
    }
    this.openGrpcServices = Set.copyOf(config.openGrpcServices());
  }

  private void add(Optional<String> token, Role role) {
    clean(token)
        .ifPresent(t -> credentials.add(new Credential(new BearerToken(t), EnumSet.of(role))));
  }

  private static Optional<String> clean(Optional<String> t) {
    return t.map(String::trim).filter(v -> !v.isEmpty());
  }

  /** False when no token of any kind is configured: nothing is checked. */
  public boolean required() {
    return !credentials.isEmpty();
  }

  /** Checks an {@code Authorization} value for the role the call needs. */
  public BearerToken.Verdict check(String authorization, Role needed) {
    if (credentials.isEmpty()) {
      return BearerToken.Verdict.OK;
    }
    BearerToken.Verdict worst = BearerToken.Verdict.WRONG;
    for (Credential c : credentials) {
      BearerToken.Verdict v = c.token().check(authorization);
      if (v == BearerToken.Verdict.OK) {
        return needed.grantedBy(c.roles()) ? BearerToken.Verdict.OK : BearerToken.Verdict.FORBIDDEN;
      }
      worst = v; // MISSING and MALFORMED are the same for every credential
    }
    return worst;
  }

  /** Checks for {@link Role#READ} (kept for callers that only read). */
  public BearerToken.Verdict check(String authorization) {
    return check(authorization, Role.READ);
  }

  /** What this service's own clients send for a call needing {@code role}, if anything. */
  public Optional<String> header(Role role) {
    return Optional.ofNullable(clientHeaders.get(role));
  }

  /** What this service's own clients send for reading. */
  public Optional<String> header() {
    return header(Role.READ);
  }

  /** gRPC services reachable without the token (health). */
  public boolean open(String grpcService) {
    return openGrpcServices.contains(grpcService);
  }
}
