package io.routewatch.alert.support;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Upstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gRPC server on 127.0.0.1 answering state's {@code StateQuery.GetUpstreams} and {@code GetStats}
 * from what a test put in (the real protocol over a real socket; the routing engine behind it is
 * state's own business and covered by state's and the e2e tests). StateChanges is not served: tests
 * feed changes through the subscription's exactly-once path.
 */
public final class StateQueryServer implements AutoCloseable {
  private final Map<String, List<Upstream>> upstreams = new ConcurrentHashMap<>();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong lastChange = new AtomicLong();
  private final AtomicInteger upstreamQueries = new AtomicInteger();
  private volatile boolean warm = true;
  private final Server server;

  public StateQueryServer() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new StateQueryGrpc.StateQueryImplBase() {
                  @Override
                  public void getUpstreams(
                      GetUpstreamsRequest r, StreamObserver<GetUpstreamsResponse> out) {
                    upstreamQueries.incrementAndGet();
                    String key =
                        r.getTargetCase() == GetUpstreamsRequest.TargetCase.ASN
                            ? "AS" + Integer.toUnsignedLong(r.getAsn())
                            : r.getCountry();
                    if (r.getTargetCase() == GetUpstreamsRequest.TargetCase.TARGET_NOT_SET) {
                      out.onError(
                          Status.INVALID_ARGUMENT
                              .withDescription("upstreams need an ASN or a country")
                              .asException());
                      return;
                    }
                    GetUpstreamsResponse.Builder b = GetUpstreamsResponse.newBuilder();
                    if (r.getTargetCase() == GetUpstreamsRequest.TargetCase.ASN) {
                      b.setAsn(r.getAsn()); // like state: no country for an ASN
                    } else {
                      b.setCountry(r.getCountry());
                    }
                    b.addAllUpstreams(upstreams.getOrDefault(key, List.of()));
                    out.onNext(b.build());
                    out.onCompleted();
                  }

                  @Override
                  public void getStats(GetStatsRequest r, StreamObserver<GetStatsResponse> out) {
                    out.onNext(
                        GetStatsResponse.newBuilder()
                            .setWarm(warm)
                            .setEventsApplied(events.get())
                            .setLastChangeSequence(lastChange.get())
                            .build());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
  }

  public int port() {
    return server.getPort();
  }

  /** The upstreams state holds now for "AS64500" or "KP" (replacing what it held). */
  public void upstreams(String target, Upstream... ups) {
    upstreams.put(target, List.of(ups));
    events.incrementAndGet();
  }

  public void warm(boolean w) {
    warm = w;
    events.incrementAndGet();
  }

  /** State's journal position (GetStats.last_change_sequence). */
  public void lastChangeSequence(long seq) {
    lastChange.set(seq);
  }

  public int upstreamQueries() {
    return upstreamQueries.get();
  }

  public static Upstream upstream(
      long asn, double share, long sinceMicros, long lastSeenMicros, int... peers) {
    Upstream.Builder b =
        Upstream.newBuilder()
            .setAsn((int) asn)
            .setVpShare(share)
            .setVpCount(peers.length)
            .setPeerAsnCount(peers.length)
            .setFirstSeenMicros(sinceMicros)
            .setSinceMicros(sinceMicros)
            .setLastSeenMicros(lastSeenMicros)
            .setPrefixCount(1);
    for (int p : peers) {
      b.addPeerAsns(p);
    }
    return b.build();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
