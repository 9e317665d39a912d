package io.routewatch.servicekit.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses every gRPC call without a valid token with {@code UNAUTHENTICATED}, and a call the
 * token's role does not allow ({@link Role#of}) with {@code PERMISSION_DENIED}, before the service
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
    Role needed = Role.of(call.getMethodDescriptor().getFullMethodName());
    BearerToken.Verdict verdict = token.check(headers.get(AUTHORIZATION), needed);
    if (verdict == BearerToken.Verdict.OK) {
      return next.startCall(call, headers);
    }
    Status status =
        verdict == BearerToken.Verdict.FORBIDDEN
            ? Status.PERMISSION_DENIED.withDescription(
                verdict.message + " (needs role " + needed.name().toLowerCase() + ")")
            : Status.UNAUTHENTICATED.withDescription(verdict.message);
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
