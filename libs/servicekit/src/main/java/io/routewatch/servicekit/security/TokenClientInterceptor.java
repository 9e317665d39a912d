package io.routewatch.servicekit.security;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Adds {@code authorization: Bearer <token>} to every call of the service's own gRPC clients
 * (collector → state, alert → state, state ↔ shards), with the token of the role the method needs
 * (ingest for publishing, read for queries and the change stream), or the all-roles api-token; TLS
 * (and optionally mTLS) protects it on the wire.
 */
@ApplicationScoped
@GlobalInterceptor
public class TokenClientInterceptor implements ClientInterceptor {
  private final ApiToken token;

  TokenClientInterceptor(ApiToken token) {
    this.token = token;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    ClientCall<Q, R> call = next.newCall(method, options);
    Optional<String> header = token.header(Role.of(method.getFullMethodName()));
    if (header.isEmpty()) {
      return call;
    }
    return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        headers.put(TokenServerInterceptor.AUTHORIZATION, header.get());
        super.start(listener, headers);
      }
    };
  }
}
