package io.routewatch.state.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.routewatch.servicekit.security.ApiToken;
import io.routewatch.servicekit.security.BearerToken;
import io.routewatch.servicekit.security.Role;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses a {@code /web/live} page at the cap as the first thing its request meets: one counter
 * read for every request while state follows fewer pages than {@code
 * routewatch.web.max-live-clients}, and at the cap a fixed 503 written on the event loop, before
 * routing, JAX-RS and its exception path. In a connection storm (issue 14: 1,000 pages at once)
 * each refusal costs the event loop the least it can, so the queries that share its connections
 * wait the least. {@link LiveResource} still refuses a page that finds the cap reached between this
 * check and its own (the cap is counted there). A request without a valid read token is left to the
 * API's filter (401/403): the cap is not told to a caller who may not follow the page.
 */
@ApplicationScoped
public class LiveAdmission {
  /** Before the routes; the order among router filters does not matter for this path. */
  static final int PRIORITY = 90;

  @Inject LiveClients clients;
  @Inject ApiToken token;
  @Inject Config config;

  void register(@Observes Filters filters) {
    String root = config.getOptionalValue("quarkus.http.root-path", String.class).orElse("/");
    String path = (root.endsWith("/") ? root : root + "/") + "web/live";
    filters.register(rc -> filter(rc, path), PRIORITY);
  }

  private void filter(RoutingContext rc, String path) {
    if (!clients.full()
        || rc.request().method() != HttpMethod.GET
        || !path.equals(rc.normalizedPath())
        || (token.required()
            && token.check(rc.request().getHeader(HttpHeaders.AUTHORIZATION), Role.READ)
                != BearerToken.Verdict.OK)) {
      rc.next();
      return;
    }
    clients.refuse();
    rc.response()
        .setStatusCode(503)
        .putHeader("Retry-After", Integer.toString(LiveResource.RETRY_AFTER))
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
        .end(LiveResource.refusal(clients.limit()));
  }
}
