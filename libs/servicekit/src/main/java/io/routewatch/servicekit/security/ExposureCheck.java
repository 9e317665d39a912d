package io.routewatch.servicekit.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Secure by default: a service whose API listens beyond loopback ({@code quarkus.http.host}
 * 0.0.0.0, ::, or any non-loopback address) must require credentials, an API token or client
 * certificates (mTLS, {@code quarkus.http.ssl.client-auth=REQUIRED}). Otherwise it refuses to start
 * and says how to configure one; {@code routewatch.security.insecure=true} starts it anyway with a
 * warning at every start (labs). Runs before any listener is used by routewatch code.
 */
@ApplicationScoped
public class ExposureCheck {
  private static final Logger LOG = Logger.getLogger(ExposureCheck.class);

  @Inject SecurityConfig security;
  @Inject Config config;

  void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent event) {
    String host = config.getOptionalValue("quarkus.http.host", String.class).orElse("localhost");
    String clientAuth =
        config.getOptionalValue("quarkus.http.ssl.client-auth", String.class).orElse("NONE");
    boolean token =
        Stream.of(
                security.apiToken(),
                security.tokens().read(),
                security.tokens().ingest(),
                security.tokens().admin())
            .anyMatch(t -> t.filter(v -> !v.isBlank()).isPresent());
    String problem = problem(host, token, clientAuth);
    if (problem == null) {
      return;
    }
    if (security.insecure()) {
      LOG.warnf(
          "%s; serving anyway because routewatch.security.insecure=true: anyone who reaches the port can read, publish and change everything",
          problem);
      return;
    }
    String text =
        problem
            + ". Set an API token (routewatch.security.api-token, env ROUTEWATCH_SECURITY_API_TOKEN; the Helm chart's apiToken),"
            + " require client certificates (quarkus.http.ssl.client-auth=REQUIRED with TLS), bind loopback"
            + " (quarkus.http.host=127.0.0.1), or, for a lab only, set routewatch.security.insecure=true";
    LOG.error(text);
    throw new IllegalStateException(text);
  }

  /** Why this exposure is not allowed, or null when it is (loopback, a token, or mTLS). */
  static String problem(String host, boolean token, String clientAuth) {
    if (token || "REQUIRED".equals(clientAuth.toUpperCase(Locale.ROOT)) || loopback(host)) {
      return null;
    }
    return "refusing to serve the API on " + host + " (beyond loopback) without credentials";
  }

  static boolean loopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      InetAddress a = InetAddress.getByName(host);
      return a.isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // a name that does not resolve here is not known to be loopback
    }
  }
}
