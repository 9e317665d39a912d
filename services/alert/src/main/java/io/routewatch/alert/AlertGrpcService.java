package io.routewatch.alert;

import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.routewatch.alert.link.StateSubscription;
import io.routewatch.proto.v1.AlertServiceGrpc;
import io.routewatch.proto.v1.GetStatusRequest;
import io.routewatch.proto.v1.GetStatusResponse;
import jakarta.inject.Inject;

/** gRPC face of the alert service. */
@GrpcService
public class AlertGrpcService extends AlertServiceGrpc.AlertServiceImplBase {
  @Inject StateSubscription subscription;

  @Override
  public void getStatus(GetStatusRequest req, StreamObserver<GetStatusResponse> out) {
    out.onNext(
        GetStatusResponse.newBuilder()
            .setLastChangeSequence(subscription.position())
            .setStateConnected(subscription.isConnected())
            .build());
    out.onCompleted();
  }
}
