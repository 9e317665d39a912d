package io.routewatch.servicekit.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * {@code routewatch.security.*}: the shared API token. Unset (the default, {@code make run}) means
 * no check at all; the Helm chart sets it from a Secret ({@code ROUTEWATCH_SECURITY_API_TOKEN}).
 */
@ConfigMapping(prefix = "routewatch.security")
public interface SecurityConfig {

  /**
   * The bearer token every gRPC call and every {@code /api/*} request must carry. The same token
   * authenticates service-to-service calls (collector → state, alert → state): the gRPC clients
   * send it too.
   */
  Optional<String> apiToken();

  /**
   * Credentials per role (docs/security.md): a reader cannot publish routes or edit the watch list,
   * the collector's ingest token cannot read. Each may be set alone or beside {@link #apiToken()}
   * (which holds every role).
   */
  Tokens tokens();

  interface Tokens {
    /** {@link Role#READ}: queries, change stream, alerts, the page. */
    Optional<String> read();

    /** {@link Role#INGEST}: collector → state, state ↔ state shards. */
    Optional<String> ingest();

    /** {@link Role#ADMIN}: watch-list edits, imports, and all that read may. */
    Optional<String> admin();
  }

  /**
   * gRPC services reachable without the token: the standard health service, so a Kubernetes gRPC
   * probe or {@code grpc_health_probe} works without a Secret.
   */
  @WithDefault("grpc.health.v1.Health")
  List<String> openGrpcServices();

  /**
   * Serve the API beyond loopback without a token and without mTLS (a lab on a private network).
   * Off: such a service refuses to start ({@link ExposureCheck}); on: it starts and warns at every
   * start.
   */
  @WithDefault("false")
  boolean insecure();
}
