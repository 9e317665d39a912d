package io.routewatch.collector.archive;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server laid out like the public archives, serving files of ../shared/data under
 * archive paths (a map built by the test, nothing copied), with an autoindex page per directory and
 * {@code Range} support. It misbehaves on demand, per path: the next requests of a file can drop
 * the connection mid-body, cut the body short, announce a wrong Content-Length or answer 503.
 */
final class ArchiveMirror implements AutoCloseable {
  enum Fault {
    /** Sends half the body, then closes the connection (the announced length was the full one). */
    DROP_MID_BODY,
    /** Announces and sends only half the file (a truncated file, consistent headers). */
    TRUNCATED,
    /** Announces a Content-Length larger than the file and sends the file. */
    LENGTH_TOO_LONG,
    /** Answers 503. */
    UNAVAILABLE,
    /** Sends half the body, then nothing for 5 s (a stalled transfer), then closes. */
    STALL
  }

  private final HttpServer server;
  private final Map<String, Path> files = new ConcurrentHashMap<>();
  private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger rangeRequests = new AtomicInteger();

  ArchiveMirror() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Serves {@code source} at {@code path} (starting with '/'). */
  void put(String path, Path source) {
    files.put(path, source);
  }

  /** The next requests of {@code path} misbehave as given, one fault per request. */
  void fail(String path, Fault... next) {
    Deque<Fault> q = faults.computeIfAbsent(path, k -> new ArrayDeque<>());
    synchronized (q) {
      q.addAll(java.util.List.of(next));
    }
  }

  private Fault nextFault(String path) {
    Deque<Fault> q = faults.get(path);
    if (q == null) {
      return null;
    }
    synchronized (q) {
      return q.poll();
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.endsWith("/")) {
        index(ex, path);
        return;
      }
      Path src = files.get(path);
      if (src == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      Fault fault = nextFault(path);
      if (fault == Fault.UNAVAILABLE) {
        ex.sendResponseHeaders(503, -1);
        return;
      }
      byte[] all = Files.readAllBytes(src);
      int from = 0;
      String range = ex.getRequestHeaders().getFirst("Range");
      if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
        rangeRequests.incrementAndGet();
        from = Integer.parseInt(range.substring(6, range.length() - 1));
        if (from >= all.length) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + all.length);
          ex.sendResponseHeaders(416, -1);
          return;
        }
        ex.getResponseHeaders()
            .set("Content-Range", "bytes " + from + "-" + (all.length - 1) + "/" + all.length);
      }
      int status = range != null ? 206 : 200;
      int len = all.length - from;
      OutputStream out;
      if (fault == Fault.TRUNCATED) {
        len = len / 2;
        ex.sendResponseHeaders(status, len);
        out = ex.getResponseBody();
        out.write(all, from, len);
      } else if (fault == Fault.LENGTH_TOO_LONG) {
        ex.sendResponseHeaders(status, len + 1000);
        out = ex.getResponseBody();
        out.write(all, from, len);
        out.flush();
        // the exchange closes short of the announced length: the connection is dropped
      } else if (fault == Fault.STALL) {
        ex.sendResponseHeaders(status, len);
        out = ex.getResponseBody();
        out.write(all, from, len / 2);
        out.flush();
        try {
          Thread.sleep(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else if (fault == Fault.DROP_MID_BODY) {
        ex.sendResponseHeaders(status, len);
        out = ex.getResponseBody();
        out.write(all, from, len / 2);
        out.flush();
      } else {
        ex.sendResponseHeaders(status, len);
        out = ex.getResponseBody();
        out.write(all, from, len);
      }
    }
  }

  private void index(HttpExchange ex, String dir) throws IOException {
    TreeMap<String, Boolean> names = new TreeMap<>();
    for (String p : files.keySet()) {
      if (p.startsWith(dir)) {
        String rest = p.substring(dir.length());
        int slash = rest.indexOf('/');
        names.put(slash < 0 ? rest : rest.substring(0, slash + 1), true);
      }
    }
    if (names.isEmpty()) {
      ex.sendResponseHeaders(404, -1);
      return;
    }
    StringBuilder html =
        new StringBuilder("<html><head><title>Index of " + dir + "</title></head><body><pre>");
    html.append("<a href=\"../\">../</a>\n<a href=\"?C=M;O=A\">Last modified</a>\n");
    for (String n : names.keySet()) {
      html.append("<a href=\"").append(n).append("\">").append(n).append("</a>\n");
    }
    html.append("</pre></body></html>");
    byte[] b = html.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/html");
    ex.sendResponseHeaders(200, b.length);
    ex.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
