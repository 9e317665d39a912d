package io.routewatch.state.shard;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.routewatch.proto.v1.GetVantagePointCountsRequest;
import io.routewatch.proto.v1.GetVantagePointCountsResponse;
import io.routewatch.proto.v1.GetVisibilityPartialRequest;
import io.routewatch.proto.v1.StateShardGrpc;
import io.routewatch.proto.v1.Subject;
import io.routewatch.proto.v1.UpstreamPartial;
import io.routewatch.proto.v1.VisibilityPartial;
import io.routewatch.servicekit.security.TokenClientInterceptor;
import io.routewatch.state.StateConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The other state shards (scale-out), and the fan-out of one query to every shard. This instance is
 * answered in-process; the others over gRPC, with the same TLS material and API token the
 * instance's own listeners use ({@code quarkus.http.tls-configuration-name}, the token of every
 * internal link), so one Secret secures the shard links too.
 */
@ApplicationScoped
public class ShardPeers {
  private static final Logger LOG = Logger.getLogger(ShardPeers.class);

  @Inject StateConfig config;
  @Inject ShardPartials local;
  @Inject TokenClientInterceptor token;

  private volatile Map<String, StateShardGrpc.StateShardBlockingStub> remotes;
  private final List<ManagedChannel> channels = new ArrayList<>();

  /** True when this instance is one of several shards. */
  public boolean enabled() {
    return config.shard().peers().map(l -> !l.isEmpty()).orElse(false);
  }

  public String self() {
    return config.shard().name().orElse("");
  }

  /** name → host:port of every shard (this one included), in configuration order. */
  static Map<String, String> parse(List<String> entries, String self) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : entries) {
      String e = raw.trim();
      int eq = e.indexOf('=');
      int colon = e.lastIndexOf(':');
      if (eq <= 0 || colon < eq + 2 || colon == e.length() - 1) {
        throw new IllegalArgumentException(
            "routewatch.state.shard.peers: '" + raw + "' is not name=host:port");
      }
      try {
        int port = Integer.parseInt(e.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "routewatch.state.shard.peers: bad port in '" + raw + "'");
      }
      if (out.put(e.substring(0, eq), e.substring(eq + 1)) != null) {
        throw new IllegalArgumentException(
            "routewatch.state.shard.peers: shard '" + e.substring(0, eq) + "' twice");
      }
    }
    if (!out.containsKey(self)) {
      throw new IllegalArgumentException(
          "routewatch.state.shard.name '"
              + self
              + "' is not one of routewatch.state.shard.peers "
              + out.keySet());
    }
    return out;
  }

  private Map<String, StateShardGrpc.StateShardBlockingStub> remotes() {
    Map<String, StateShardGrpc.StateShardBlockingStub> r = remotes;
    if (r != null) {
      return r;
    }
    synchronized (this) {
      if (remotes == null) {
        Map<String, StateShardGrpc.StateShardBlockingStub> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e :
            parse(config.shard().peers().orElse(List.of()), self()).entrySet()) {
          if (e.getKey().equals(self())) {
            m.put(e.getKey(), null);
            continue;
          }
          ManagedChannel ch = channel(e.getValue());
          channels.add(ch);
          Channel c = ClientInterceptors.intercept(ch, token);
          m.put(e.getKey(), StateShardGrpc.newBlockingStub(c));
        }
        remotes = m;
        LOG.infof("state shard %s of %s", self(), m.keySet());
      }
      return remotes;
    }
  }

  private static ManagedChannel channel(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    NettyChannelBuilder b =
        NettyChannelBuilder.forAddress(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))
            .maxInboundMessageSize(64 << 20);
    var cfg = ConfigProvider.getConfig();
    Optional<String> tls =
        cfg.getOptionalValue("quarkus.http.tls-configuration-name", String.class);
    if (tls.isEmpty()) {
      return b.usePlaintext().build();
    }
    String p = "quarkus.tls." + tls.get() + ".";
    try {
      SslContextBuilder ssl = GrpcSslContexts.forClient();
      cfg.getOptionalValue(p + "trust-store.pem.certs", String.class)
          .ifPresent(f -> ssl.trustManager(new File(f.split(",")[0].trim())));
      Optional<String> crt = cfg.getOptionalValue(p + "key-store.pem.0.cert", String.class);
      Optional<String> key = cfg.getOptionalValue(p + "key-store.pem.0.key", String.class);
      if (crt.isPresent() && key.isPresent()) {
        ssl.keyManager(new File(crt.get()), new File(key.get()));
      }
      return b.sslContext(ssl.build()).build();
    } catch (Exception e) {
      throw new IllegalStateException(
          "shard link TLS from quarkus.tls." + tls.get() + ": " + e.getMessage(), e);
    }
  }

  /** Bad shard settings stop the start with the entry at fault, not the first query. */
  void onStart(@Observes io.quarkus.runtime.StartupEvent ev) {
    if (enabled()) {
      remotes();
    }
  }

  void onStop(@Observes ShutdownEvent ev) {
    for (ManagedChannel c : channels) {
      c.shutdownNow();
    }
  }

  public List<GetVantagePointCountsResponse> vantagePoints() {
    return fanOut(
        local::vantagePoints,
        s -> s.getVantagePointCounts(GetVantagePointCountsRequest.getDefaultInstance()));
  }

  public List<UpstreamPartial> upstreams(Subject subject) {
    return fanOut(
        () -> local.upstreams(subject),
        s ->
            s.getUpstreamPartial(
                io.routewatch.proto.v1.GetUpstreamPartialRequest.newBuilder()
                    .setSubject(subject)
                    .build()));
  }

  public List<io.routewatch.proto.v1.GetPrefixResponse> prefix(String prefix) {
    io.routewatch.proto.v1.GetPrefixRequest req =
        io.routewatch.proto.v1.GetPrefixRequest.newBuilder().setPrefix(prefix).build();
    return fanOut(() -> local.prefix(prefix), s -> s.getPrefixPartial(req));
  }

  public List<VisibilityPartial> visibility(GetVisibilityPartialRequest req) {
    return fanOut(() -> local.visibility(req), s -> s.getVisibilityPartial(req));
  }

  /**
   * Asks every shard at once; any shard that fails or misses the deadline fails the query with
   * UNAVAILABLE naming it (a partial answer would be a wrong answer).
   */
  private <T> List<T> fanOut(
      java.util.function.Supplier<T> self,
      Function<StateShardGrpc.StateShardBlockingStub, T> call) {
    long timeoutMs = config.shard().timeout().toMillis();
    Map<String, CompletableFuture<T>> futures = new LinkedHashMap<>();
    for (Map.Entry<String, StateShardGrpc.StateShardBlockingStub> e : remotes().entrySet()) {
      StateShardGrpc.StateShardBlockingStub stub = e.getValue();
      futures.put(
          e.getKey(),
          stub == null
              ? CompletableFuture.completedFuture(self.get())
              : CompletableFuture.supplyAsync(
                  () -> call.apply(stub.withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS))));
    }
    List<T> out = new ArrayList<>(futures.size());
    for (Map.Entry<String, CompletableFuture<T>> e : futures.entrySet()) {
      try {
        out.add(e.getValue().get(timeoutMs + 1000, TimeUnit.MILLISECONDS));
      } catch (java.util.concurrent.ExecutionException ex) {
        Throwable c = ex.getCause();
        Status st = Status.fromThrowable(c);
        if (st.getCode() == Status.Code.INVALID_ARGUMENT) {
          throw new IllegalArgumentException(st.getDescription());
        }
        throw Status.UNAVAILABLE
            .withDescription("state shard " + e.getKey() + " did not answer: " + st)
            .asRuntimeException();
      } catch (Exception ex) {
        throw Status.UNAVAILABLE
            .withDescription("state shard " + e.getKey() + " did not answer: " + ex)
            .asRuntimeException();
      }
    }
    return out;
  }
}
