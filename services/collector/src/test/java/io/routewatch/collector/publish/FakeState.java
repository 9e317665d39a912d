package io.routewatch.collector.publish;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.routewatch.proto.v1.GetStreamPositionsRequest;
import io.routewatch.proto.v1.GetStreamPositionsResponse;
import io.routewatch.proto.v1.IngestServiceGrpc;
import io.routewatch.proto.v1.PublishAck;
import io.routewatch.proto.v1.RouteEventBatch;
import io.routewatch.proto.v1.StreamPosition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A state instance's ingest face on a loopback port, with state's rules: a stream's batches must
 * come with contiguous sequences (a repeat is acknowledged as a duplicate, a gap fails the stream
 * with FAILED_PRECONDITION "rewind"); each applied batch is kept. {@link #restart} forgets a
 * stream's batches after a position and drops every open stream, as a restarted state would.
 */
public final class FakeState implements AutoCloseable {
  final String name;
  private final Server server;
  private final Map<String, Long> positions = new HashMap<>();
  private final List<RouteEventBatch> applied = new ArrayList<>();
  private final Set<Call> calls = new HashSet<>();
  private final List<String> authorizations = new ArrayList<>();
  private int gaps;
  private int duplicates;

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** Keeps the {@code authorization} header of every call. */
  private final class HeaderTap implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      synchronized (FakeState.this) {
        authorizations.add(String.valueOf(headers.get(AUTHORIZATION)));
      }
      return next.startCall(call, headers);
    }
  }

  private static final class Call {
    final ServerCallStreamObserver<PublishAck> out;
    boolean closed;

    Call(ServerCallStreamObserver<PublishAck> out) {
      this.out = out;
    }
  }

  public FakeState(String name) throws IOException {
    this.name = name;
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(new Ingest(), new HeaderTap()))
            .build()
            .start();
  }

  public int port() {
    return server.getPort();
  }

  /** Applied batches, in order. */
  public synchronized List<RouteEventBatch> applied() {
    return List.copyOf(applied);
  }

  public synchronized long position(String stream) {
    return positions.getOrDefault(stream, 0L);
  }

  /** The {@code authorization} header of each call so far ("null" when absent). */
  synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Publish calls open now (a restart closes them; the link then opens a new one). */
  public synchronized int openCalls() {
    return calls.size();
  }

  public synchronized int gaps() {
    return gaps;
  }

  public synchronized int duplicates() {
    return duplicates;
  }

  /** As if state restarted from a snapshot at {@code position}: later batches are forgotten. */
  public synchronized void restart(String stream, long position) {
    positions.put(stream, position);
    applied.removeIf(b -> b.getStreamId().equals(stream) && b.getSequence() > position);
    for (Call c : calls) {
      c.closed = true;
      c.out.onError(Status.UNAVAILABLE.withDescription("restarting").asRuntimeException());
    }
    calls.clear();
  }

  private boolean holdAcks; // guarded by this
  private final List<Runnable> heldAcks = new ArrayList<>(); // guarded by this

  /** From now on batches are applied but not acknowledged, until {@link #releaseAcks}. */
  public synchronized void holdAcks() {
    holdAcks = true;
  }

  /** Sends the acknowledgements held back, and answers at once again. */
  public synchronized void releaseAcks() {
    holdAcks = false;
    heldAcks.forEach(Runnable::run);
    heldAcks.clear();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private final class Ingest extends IngestServiceGrpc.IngestServiceImplBase {
    @Override
    public StreamObserver<RouteEventBatch> publish(StreamObserver<PublishAck> responses) {
      Call call = new Call((ServerCallStreamObserver<PublishAck>) responses);
      synchronized (FakeState.this) {
        calls.add(call);
      }
      return new StreamObserver<>() {
        @Override
        public void onNext(RouteEventBatch b) {
          synchronized (FakeState.this) {
            if (call.closed) {
              return; // arrived after the "restart": lost
            }
            String id = b.getStreamId();
            long last = positions.getOrDefault(id, 0L);
            if (b.getSequence() <= last) {
              duplicates++;
              ack(id, last, true);
              return;
            }
            if (b.getSequence() != last + 1) {
              gaps++;
              call.closed = true;
              calls.remove(call);
              call.out.onError(
                  Status.FAILED_PRECONDITION
                      .withDescription(
                          "stream "
                              + id
                              + " is at "
                              + last
                              + ", got batch "
                              + b.getSequence()
                              + ": rewind")
                      .asRuntimeException());
              return;
            }
            applied.add(b);
            positions.put(id, b.getSequence());
            ack(id, b.getSequence(), false);
          }
        }

        private void ack(String id, long seq, boolean dup) {
          PublishAck a =
              PublishAck.newBuilder().setStreamId(id).setSequence(seq).setDuplicate(dup).build();
          if (holdAcks) {
            heldAcks.add(() -> call.out.onNext(a)); // a slow state: applied, not answered yet
            return;
          }
          call.out.onNext(a);
        }

        @Override
        public void onError(Throwable t) {
          synchronized (FakeState.this) {
            call.closed = true;
            calls.remove(call);
          }
        }

        @Override
        public void onCompleted() {
          synchronized (FakeState.this) {
            if (!call.closed) {
              call.closed = true;
              calls.remove(call);
              call.out.onCompleted();
            }
          }
        }
      };
    }

    @Override
    public void getStreamPositions(
        GetStreamPositionsRequest req, StreamObserver<GetStreamPositionsResponse> out) {
      GetStreamPositionsResponse.Builder b = GetStreamPositionsResponse.newBuilder();
      synchronized (FakeState.this) {
        positions.forEach(
            (id, seq) ->
                b.addPositions(StreamPosition.newBuilder().setStreamId(id).setSequence(seq)));
      }
      out.onNext(b.build());
      out.onCompleted();
    }
  }
}
