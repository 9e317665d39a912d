package io.routewatch.e2e.cluster;

import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The kubelet's probes: HTTP and TCP from the node, exec inside the pod. */
final class Probes {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Probes() {}

  /** Whether one probe passes now (no probe: it does). */
  static boolean passes(Pod pod, Probe p) {
    if (p == null) {
      return true;
    }
    int timeout = p.getTimeoutSeconds() == null ? 1 : p.getTimeoutSeconds();
    try {
      if (p.getHttpGet() != null) {
        String scheme = p.getHttpGet().getScheme() == null ? "HTTP" : p.getHttpGet().getScheme();
        URI uri =
            URI.create(
                scheme.toLowerCase()
                    + "://"
                    + pod.ip
                    + ":"
                    + pod.port(p.getHttpGet().getPort())
                    + p.getHttpGet().getPath());
        HttpResponse<Void> r =
            HTTP.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeout)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() >= 200 && r.statusCode() < 400;
      }
      if (p.getTcpSocket() != null) {
        try (Socket s = new Socket()) {
          s.connect(
              new InetSocketAddress(pod.ip, pod.port(p.getTcpSocket().getPort())), timeout * 1000);
          return true;
        }
      }
      if (p.getExec() != null) {
        return Sh.tryRun(Duration.ofSeconds(timeout + 2), pod.execInPod(p.getExec().getCommand()))
            .ok();
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    throw new IllegalStateException(pod.name + ": probe kind not supported");
  }
}
