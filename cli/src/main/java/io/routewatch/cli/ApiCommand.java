package io.routewatch.cli;

import io.grpc.ManagedChannel;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.reflection.v1alpha.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code routewatch api}: lists the gRPC services each routewatch service exposes, through standard
 * server reflection (what grpcurl uses), so it also proves the services are up.
 */
@Command(
    name = "api",
    mixinStandardHelpOptions = true,
    description = "List each service's gRPC API via server reflection.")
final class ApiCommand implements Callable<Integer> {
  @Mixin Endpoints endpoints;

  @Override
  public Integer call() throws Exception {
    Map<String, String> targets = new LinkedHashMap<>();
    targets.put("collector", endpoints.collector);
    targets.put("state", endpoints.state);
    targets.put("alert", endpoints.alert);
    int unreachable = 0;
    for (Map.Entry<String, String> t : targets.entrySet()) {
      try {
        List<String> services = list(t.getValue());
        System.out.printf("%-9s %-21s %s%n", t.getKey(), t.getValue(), String.join(", ", services));
      } catch (Exception e) {
        System.out.printf(
            "%-9s %-21s UNREACHABLE (%s)%n", t.getKey(), t.getValue(), rootMessage(e));
        unreachable++;
      }
    }
    return unreachable == 0 ? 0 : Main.EXIT_UNAVAILABLE;
  }

  /** The fully qualified gRPC services a server lists (reflection itself left out). */
  static List<String> list(String hostPort) throws Exception {
    ManagedChannel ch = Endpoints.channel(hostPort);
    try {
      CompletableFuture<List<String>> result = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> req =
          ServerReflectionGrpc.newStub(ch)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                      List<String> names = new ArrayList<>();
                      for (ServiceResponse s : r.getListServicesResponse().getServiceList()) {
                        if (!s.getName().startsWith("grpc.reflection")) {
                          names.add(s.getName());
                        }
                      }
                      names.sort(String::compareTo);
                      result.complete(names);
                    }

                    @Override
                    public void onError(Throwable t) {
                      result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      result.complete(List.of());
                    }
                  });
      req.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
      List<String> names = result.get(6, TimeUnit.SECONDS);
      req.onCompleted();
      return names;
    } finally {
      Endpoints.close(ch);
    }
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
