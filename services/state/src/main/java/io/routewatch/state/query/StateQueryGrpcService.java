package io.routewatch.state.query;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.state.changes.ChangeJournal;
import io.routewatch.state.ingest.BatchApplier;
import jakarta.inject.Inject;

/** Read-only queries on state. */
@GrpcService
public class StateQueryGrpcService extends StateQueryGrpc.StateQueryImplBase {
  @Inject BatchApplier applier;
  @Inject ChangeJournal journal;

  @Override
  public void getStats(GetStatsRequest req, StreamObserver<GetStatsResponse> out) {
    out.onNext(
        GetStatsResponse.newBuilder()
            .setEventsApplied(applier.events())
            .setBatchesApplied(applier.batches())
            .setAnnouncements(applier.count(EventKind.ANNOUNCE))
            .setWithdrawals(applier.count(EventKind.WITHDRAW))
            .setRibEntries(applier.count(EventKind.RIB_ENTRY))
            .setStateChanges(applier.count(EventKind.PEER_STATE))
            .setLastChangeSequence(journal.lastSequence())
            .build());
    out.onCompleted();
  }

  @Override
  public void getUpstreams(GetUpstreamsRequest req, StreamObserver<GetUpstreamsResponse> out) {
    out.onError(
        Status.UNIMPLEMENTED.withDescription("upstream derivation lands with the routing engine").asRuntimeException());
  }
}
