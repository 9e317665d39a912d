package io.routewatch.servicekit.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * The configured token, read once. Application-scoped, so users get a client proxy and the config
 * is read at the first call, at run time: RESTEasy Reactive builds its filters during static init,
 * when runtime config mappings do not exist yet (and a native image would otherwise bake the token
 * in at build time).
 */
@ApplicationScoped
public class ApiToken {
  private final Optional<BearerToken> token;
  private final Optional<String> header;
  private final Set<String> openGrpcServices;

  ApiToken(SecurityConfig config) {
    Optional<String> value = config.apiToken().map(String::trim).filter(t -> !t.isEmpty());
    this.token = value.map(BearerToken::new);
    this.header = value.map(BearerToken::header);
    this.openGrpcServices = Set.copyOf(config.openGrpcServices());
  }

  /** False when {@code routewatch.security.api-token} is unset: nothing is checked. */
  public boolean required() {
    return token.isPresent();
  }

  /** Checks an {@code Authorization} value; {@link BearerToken.Verdict#OK} when not required. */
  public BearerToken.Verdict check(String authorization) {
    return token.map(t -> t.check(authorization)).orElse(BearerToken.Verdict.OK);
  }

  /** What this service's own clients send, if a token is configured. */
  public Optional<String> header() {
    return header;
  }

  /** gRPC services reachable without the token (health). */
  public boolean open(String grpcService) {
    return openGrpcServices.contains(grpcService);
  }
}
