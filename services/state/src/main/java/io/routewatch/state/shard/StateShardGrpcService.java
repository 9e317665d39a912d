package io.routewatch.state.shard;

import static io.routewatch.servicekit.grpc.Unary.answer;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.routewatch.proto.v1.GetUpstreamPartialRequest;
import io.routewatch.proto.v1.GetVantagePointCountsRequest;
import io.routewatch.proto.v1.GetVantagePointCountsResponse;
import io.routewatch.proto.v1.GetVisibilityPartialRequest;
import io.routewatch.proto.v1.StateShardGrpc;
import io.routewatch.proto.v1.UpstreamPartial;
import io.routewatch.proto.v1.VisibilityPartial;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;

/** Shard-to-shard face: this instance's raw counts, for whichever shard merges an answer. */
@GrpcService
@Blocking
public class StateShardGrpcService extends StateShardGrpc.StateShardImplBase {
  @Inject ShardPartials partials;

  @Override
  public void getVantagePointCounts(
      GetVantagePointCountsRequest req, StreamObserver<GetVantagePointCountsResponse> out) {
    answer(out, partials::vantagePoints);
  }

  @Override
  public void getUpstreamPartial(
      GetUpstreamPartialRequest req, StreamObserver<UpstreamPartial> out) {
    answer(out, () -> partials.upstreams(req.getSubject()));
  }

  @Override
  public void getPrefixPartial(
      io.routewatch.proto.v1.GetPrefixRequest req,
      StreamObserver<io.routewatch.proto.v1.GetPrefixResponse> out) {
    answer(out, () -> partials.prefix(req.getPrefix()));
  }

  @Override
  public void getVisibilityPartial(
      GetVisibilityPartialRequest req, StreamObserver<VisibilityPartial> out) {
    answer(out, () -> partials.visibility(req));
  }
}
