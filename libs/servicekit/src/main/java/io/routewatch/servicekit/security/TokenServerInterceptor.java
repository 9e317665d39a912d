package io.routewatch.servicekit.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses every gRPC call without the API token with {@code UNAUTHENTICATED}, before the service
 * sees it. Global: applies to all services of the process (ingest, queries, imports, reflection),
 * except {@link SecurityConfig#openGrpcServices()}. Does nothing when no token is configured.
 */
@ApplicationScoped
@GlobalInterceptor
public class TokenServerInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ApiToken token;

  TokenServerInterceptor(ApiToken token) {
    this.token = token;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    if (!token.required() || token.open(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    BearerToken.Verdict verdict = token.check(headers.get(AUTHORIZATION));
    if (verdict == BearerToken.Verdict.OK) {
      return next.startCall(call, headers);
    }
    call.close(Status.UNAUTHENTICATED.withDescription(verdict.message), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
