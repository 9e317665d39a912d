package io.routewatch.state.query;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.routewatch.proto.v1.EventKind;
import io.routewatch.proto.v1.GetHistoryRequest;
import io.routewatch.proto.v1.GetHistoryResponse;
import io.routewatch.proto.v1.GetOutagesRequest;
import io.routewatch.proto.v1.GetOutagesResponse;
import io.routewatch.proto.v1.GetPrefixRequest;
import io.routewatch.proto.v1.GetPrefixResponse;
import io.routewatch.proto.v1.GetResilienceRequest;
import io.routewatch.proto.v1.GetResilienceResponse;
import io.routewatch.proto.v1.GetRovRequest;
import io.routewatch.proto.v1.GetRovResponse;
import io.routewatch.proto.v1.GetStatsRequest;
import io.routewatch.proto.v1.GetStatsResponse;
import io.routewatch.proto.v1.GetUpstreamsRequest;
import io.routewatch.proto.v1.GetUpstreamsResponse;
import io.routewatch.proto.v1.GetVisibilityRequest;
import io.routewatch.proto.v1.GetVisibilityResponse;
import io.routewatch.proto.v1.StateQueryGrpc;
import io.routewatch.proto.v1.Subject;
import io.routewatch.state.changes.ChangeJournal;
import io.routewatch.state.ingest.BatchApplier;
import io.routewatch.state.rib.EngineStats;
import io.routewatch.state.rib.RoutingEngine;
import jakarta.inject.Inject;

/**
 * Read-only queries on state (gRPC face; {@link StateResource} is the REST one). Each is answered
 * on a {@link QueryThreads} thread, never on the event loop it arrived on.
 */
@GrpcService
public class StateQueryGrpcService extends StateQueryGrpc.StateQueryImplBase {
  @Inject QueryThreads threads;
  @Inject BatchApplier applier;
  @Inject ChangeJournal journal;
  @Inject RoutingEngine engine;
  @Inject StateQueryService queries;
  @Inject RovQueries rov;
  @Inject OriginPrefixQueries originPrefixes;

  @Override
  public void getStats(GetStatsRequest req, StreamObserver<GetStatsResponse> out) {
    threads.answer(out, () -> stats(applier, journal, engine, req.getWithDigest()));
  }

  static GetStatsResponse stats(
      BatchApplier applier, ChangeJournal journal, RoutingEngine engine, boolean digest) {
    EngineStats s = engine.stats();
    return GetStatsResponse.newBuilder()
        .setRoutes(s.routes())
        .setVantagePoints(s.vantagePoints())
        .setEventsApplied(applier.events())
        .setBatchesApplied(applier.batches())
        .setAnnouncements(applier.count(EventKind.ANNOUNCE))
        .setWithdrawals(applier.count(EventKind.WITHDRAW))
        .setRibEntries(applier.count(EventKind.RIB_ENTRY))
        .setStateChanges(applier.count(EventKind.PEER_STATE))
        .setLastChangeSequence(journal.lastSequence())
        .setPrefixes(s.prefixes())
        .setFullFeedVantagePoints(s.fullFeedVantagePoints())
        .setWarm(s.warm())
        .setRouteDigest(digest ? engine.routeDigest() : 0)
        .build();
  }

  @Override
  public void getUpstreams(GetUpstreamsRequest req, StreamObserver<GetUpstreamsResponse> out) {
    threads.answer(
        out,
        () -> {
          Subject.Builder s = Subject.newBuilder();
          switch (req.getTargetCase()) {
            case ASN -> s.setAsn(req.getAsn());
            case COUNTRY -> s.setCountry(req.getCountry());
            default -> throw new IllegalArgumentException("set asn or country");
          }
          return queries.upstreams(s.build(), req.getAtMicros());
        });
  }

  @Override
  public void getPrefix(GetPrefixRequest req, StreamObserver<GetPrefixResponse> out) {
    threads.answer(out, () -> queries.prefix(req.getPrefix()));
  }

  @Override
  public void getVisibility(GetVisibilityRequest req, StreamObserver<GetVisibilityResponse> out) {
    threads.answer(out, () -> queries.visibility(req.getSubject()));
  }

  @Override
  public void getOutages(GetOutagesRequest req, StreamObserver<GetOutagesResponse> out) {
    threads.answer(out, () -> queries.outages(req.getSubject(), req.getSinceMicros()));
  }

  @Override
  public void getResilience(GetResilienceRequest req, StreamObserver<GetResilienceResponse> out) {
    threads.answer(out, () -> queries.resilience(req.getSubject()));
  }

  @Override
  public void getHistory(GetHistoryRequest req, StreamObserver<GetHistoryResponse> out) {
    threads.answer(
        out,
        () ->
            queries.history(
                Integer.toUnsignedLong(req.getAsn()), req.getFromMicros(), req.getToMicros()));
  }

  @Override
  public void getRov(GetRovRequest req, StreamObserver<GetRovResponse> out) {
    threads.answer(out, () -> rov.rov(req));
  }

  @Override
  public void getOriginPrefixes(
      io.routewatch.proto.v1.GetOriginPrefixesRequest req,
      StreamObserver<io.routewatch.proto.v1.GetOriginPrefixesResponse> out) {
    threads.answer(out, () -> originPrefixes.query(req));
  }
}
