package io.routewatch.alert.api;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.routewatch.alert.link.StateSubscription;
import io.routewatch.alert.pipeline.AlertView;
import io.routewatch.alert.pipeline.NotificationOutbox;
import io.routewatch.alert.watch.WatchEntry;
import io.routewatch.alert.watch.WatchService;
import io.routewatch.proto.v1.AddWatchRequest;
import io.routewatch.proto.v1.Alert;
import io.routewatch.proto.v1.AlertServiceGrpc;
import io.routewatch.proto.v1.GetStatusRequest;
import io.routewatch.proto.v1.GetStatusResponse;
import io.routewatch.proto.v1.ImportWatchRequest;
import io.routewatch.proto.v1.ImportWatchResponse;
import io.routewatch.proto.v1.ListAlertsRequest;
import io.routewatch.proto.v1.ListAlertsResponse;
import io.routewatch.proto.v1.ListWatchRequest;
import io.routewatch.proto.v1.ListWatchResponse;
import io.routewatch.proto.v1.RemoveWatchRequest;
import io.routewatch.proto.v1.RemoveWatchResponse;
import io.routewatch.proto.v1.StreamAlertsRequest;
import io.routewatch.proto.v1.WatchKind;
import io.routewatch.servicekit.grpc.Unary;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/** gRPC face of the alert service: alerts (stream, history), status, watch list. */
@GrpcService
public class AlertGrpcService extends AlertServiceGrpc.AlertServiceImplBase {
  /** A stream consumer this far behind is cancelled (RESOURCE_EXHAUSTED) instead of buffered. */
  static final int STREAM_CAPACITY = 10_000;

  @Inject StateSubscription subscription;
  @Inject AlertBus bus;
  @Inject AlertHistoryService history;
  @Inject WatchService watch;
  @Inject NotificationOutbox outbox;

  @Override
  @Blocking
  public void getStatus(GetStatusRequest req, StreamObserver<GetStatusResponse> out) {
    Unary.answer(
        out,
        () ->
            GetStatusResponse.newBuilder()
                .setLastChangeSequence(subscription.position())
                .setStateConnected(subscription.isConnected())
                .setFiring(history.current(AlertFilter.of(null, 0, ""), false).size())
                .setOutboxPending(
                    (int) (long) QuarkusTransaction.requiringNew().call(outbox::pending))
                .build());
  }

  @Override
  @Blocking
  public void listAlerts(ListAlertsRequest req, StreamObserver<ListAlertsResponse> out) {
    Unary.answer(
        out,
        () -> {
          AlertFilter f =
              AlertFilter.of(req.getTypesList(), req.getAsn() & 0xffffffffL, req.getCountry());
          ListAlertsResponse.Builder b = ListAlertsResponse.newBuilder();
          history
              .list(req.getFromMicros(), req.getToMicros(), f, req.getLimit())
              .forEach(v -> b.addAlerts(AlertMapper.toProto(v)));
          return b.build();
        });
  }

  @Override
  @Blocking
  public void streamAlerts(StreamAlertsRequest req, StreamObserver<Alert> out) {
    AlertFilter f;
    try {
      f = AlertFilter.of(req.getTypesList(), req.getAsn() & 0xffffffffL, req.getCountry());
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    ServerCallStreamObserver<Alert> so = (ServerCallStreamObserver<Alert>) out;
    AlertBus.Subscription sub = bus.subscribe(f, STREAM_CAPACITY);
    Object gate = new Object();
    boolean[] done = {false};
    Runnable drain =
        () -> {
          synchronized (gate) {
            if (done[0] || so.isCancelled()) {
              return;
            }
            if (sub.overflowed()) {
              done[0] = true;
              sub.close();
              so.onError(
                  Status.RESOURCE_EXHAUSTED
                      .withDescription(
                          "client fell more than " + STREAM_CAPACITY + " alerts behind")
                      .asRuntimeException());
              return;
            }
            AlertView v;
            while (so.isReady() && (v = sub.poll()) != null) {
              so.onNext(AlertMapper.toProto(v)); // only while the transport can take it
            }
          }
        };
    so.setOnCancelHandler(sub::close);
    so.setOnReadyHandler(drain);
    sub.onAvailable(drain);
    if (req.getIncludeFiring()) {
      history.current(f, false).forEach(sub::offer);
    }
    drain.run();
  }

  @Override
  @Blocking
  public void addWatch(AddWatchRequest req, StreamObserver<io.routewatch.proto.v1.WatchEntry> out) {
    Unary.answer(
        out,
        () -> {
          io.routewatch.proto.v1.WatchEntry e = req.getEntry();
          if (e.getKind() == WatchKind.WATCH_KIND_UNSPECIFIED) {
            throw new IllegalArgumentException("entry.kind must be ASN, PREFIX or COUNTRY");
          }
          WatchEntry v =
              WatchService.validate(
                  e.getKind().name(), e.getValue(), e.getOverridesMap(), e.getDescription(), "api");
          return toProto(watch.upsert(v));
        });
  }

  @Override
  @Blocking
  public void importWatch(ImportWatchRequest req, StreamObserver<ImportWatchResponse> out) {
    Unary.answer(
        out,
        () -> {
          if (req.getEntriesCount() > WatchService.MAX_IMPORT) {
            throw new IllegalArgumentException(
                "entries: at most "
                    + WatchService.MAX_IMPORT
                    + " per request, not "
                    + req.getEntriesCount()
                    + " (split the list)");
          }
          String source = req.getSource().isEmpty() ? "api" : req.getSource();
          if (!source.matches("[a-z0-9-]{1,16}")) {
            throw new IllegalArgumentException(
                "source '" + source + "' must be 1-16 of a-z, 0-9 and '-'");
          }
          List<WatchEntry> entries = new ArrayList<>(req.getEntriesCount());
          for (int i = 0; i < req.getEntriesCount(); i++) {
            io.routewatch.proto.v1.WatchEntry e = req.getEntries(i);
            try {
              if (e.getKind() == WatchKind.WATCH_KIND_UNSPECIFIED) {
                throw new IllegalArgumentException("kind must be ASN, PREFIX or COUNTRY");
              }
              entries.add(
                  WatchService.validate(
                      e.getKind().name(),
                      e.getValue(),
                      e.getOverridesMap(),
                      e.getDescription(),
                      source));
            } catch (IllegalArgumentException ex) {
              throw new IllegalArgumentException(
                  "entries["
                      + i
                      + "] ("
                      + e.getKind()
                      + " "
                      + e.getValue()
                      + "): "
                      + ex.getMessage());
            }
          }
          WatchService.ImportResult r = watch.upsertAll(entries);
          return ImportWatchResponse.newBuilder()
              .setAdded(r.added())
              .setUpdated(r.updated())
              .build();
        });
  }

  @Override
  @Blocking
  public void removeWatch(RemoveWatchRequest req, StreamObserver<RemoveWatchResponse> out) {
    Unary.answer(
        out,
        () -> {
          if (req.getKind() == WatchKind.WATCH_KIND_UNSPECIFIED) {
            throw new IllegalArgumentException("kind must be ASN, PREFIX or COUNTRY");
          }
          WatchEntry v =
              WatchService.validate(req.getKind().name(), req.getValue(), null, "", "api");
          if (!watch.remove(v.kind(), v.value())) {
            throw Status.NOT_FOUND
                .withDescription(v.kind() + " " + v.value() + " is not on the watch list")
                .asRuntimeException();
          }
          return RemoveWatchResponse.getDefaultInstance();
        });
  }

  @Override
  @Blocking
  public void listWatch(ListWatchRequest req, StreamObserver<ListWatchResponse> out) {
    Unary.answer(
        out,
        () -> {
          ListWatchResponse.Builder b = ListWatchResponse.newBuilder();
          watch.list().forEach(e -> b.addEntries(toProto(e)));
          return b.build();
        });
  }

  static io.routewatch.proto.v1.WatchEntry toProto(WatchEntry e) {
    return io.routewatch.proto.v1.WatchEntry.newBuilder()
        .setKind(WatchKind.valueOf(e.kind().name()))
        .setValue(e.value())
        .putAllOverrides(e.overrides())
        .setDescription(e.description())
        .setSource(e.source())
        .build();
  }
}
