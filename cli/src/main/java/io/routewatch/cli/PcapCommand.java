package io.routewatch.cli;

import io.routewatch.bgp.pcap.FlowKey;
import io.routewatch.bgp.pcap.StreamEvent;
import io.routewatch.bgp.pcap.TcpStreamReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routewatch pcap replay FILE}: plays the BGP or BMP payloads of a capture into a running
 * collector, one TCP connection per captured flow (one direction of one connection), flows in order
 * of their first packet. A flow is BGP when it starts with the BGP marker (RFC 4271 §4.1), BMP when
 * it starts with a BMP common header (RFC 7854 §4.1); other flows are skipped. Bytes never captured
 * (gaps) cannot be replayed and are reported.
 */
@Command(
    name = "pcap",
    mixinStandardHelpOptions = true,
    description = "Packet captures of BGP/BMP sessions.",
    subcommands = {PcapCommand.Replay.class})
final class PcapCommand {

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = "Replay a pcap/pcapng's BGP or BMP TCP payloads into a running collector.")
  static final class Replay implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "pcap or pcapng capture")
    Path file;

    @Option(
        names = "--to",
        paramLabel = "HOST:PORT",
        description =
            "collector listener (default 127.0.0.1:11019 for BMP, 127.0.0.1:1179 for BGP)")
    String to;

    @Option(
        names = "--bind",
        paramLabel = "ADDR",
        description = "local address to connect from (a configured BGP neighbour)")
    String bind;

    @Option(
        names = "--kind",
        defaultValue = "auto",
        description = "auto, bgp or bmp: which flows to replay (default ${DEFAULT-VALUE})")
    String kind;

    @Option(
        names = "--linger-ms",
        defaultValue = "3000",
        description =
            "after a flow, wait up to this long for the collector to close its side (default ${DEFAULT-VALUE})")
    int lingerMs;

    @Override
    public Integer call() throws Exception {
      Map<Long, Flow> flows = read(file);
      int replayed = 0;
      long bytes = 0;
      for (Flow f : flows.values()) {
        String k = f.kind();
        if (k == null || (!kind.equals("auto") && !kind.equals(k))) {
          System.out.printf(
              "skip   %s (%d bytes): %s%n",
              f.key, f.data.size(), k == null ? "neither BGP nor BMP at its start" : k);
          continue;
        }
        InetSocketAddress target = target(k);
        try {
          send(f, target);
        } catch (IOException e) {
          System.err.printf("cannot replay %s to %s: %s%n", f.key, target, e.getMessage());
          return Main.EXIT_UNAVAILABLE;
        }
        replayed++;
        bytes += f.data.size();
        System.out.printf(
            "%-6s %s -> %s: %d bytes%s%n",
            k,
            f.key,
            target,
            f.data.size(),
            f.gaps > 0 ? " (" + f.gaps + " bytes never captured, not replayed)" : "");
      }
      System.out.printf("replayed %d flows, %d bytes%n", replayed, bytes);
      return 0;
    }

    private InetSocketAddress target(String k) {
      String t = to != null ? to : k.equals("bmp") ? "127.0.0.1:11019" : "127.0.0.1:1179";
      int colon = t.lastIndexOf(':');
      return new InetSocketAddress(
          t.substring(0, colon).replace("[", "").replace("]", ""),
          Integer.parseInt(t.substring(colon + 1)));
    }

    private void send(Flow f, InetSocketAddress target) throws IOException {
      try (Socket s = new Socket()) {
        if (bind != null) {
          s.bind(new InetSocketAddress(InetAddress.getByName(bind), 0));
        }
        s.connect(target, 5000);
        s.setSoTimeout(lingerMs);
        Thread drain = drain(s.getInputStream());
        OutputStream out = s.getOutputStream();
        f.data.writeTo(out);
        out.flush();
        s.shutdownOutput(); // the collector reads everything, then sees the end of the flow
        try {
          drain.join(lingerMs + 1000L);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Reads and discards what the collector sends (OPEN, KEEPALIVE) until it closes. */
    private static Thread drain(InputStream in) {
      Thread t =
          new Thread(
              () -> {
                byte[] b = new byte[4096];
                try {
                  while (in.read(b) >= 0) {
                    // discard
                  }
                } catch (IOException e) {
                  // timeout or reset: done
                }
              },
              "pcap-drain");
      t.setDaemon(true);
      t.start();
      return t;
    }
  }

  /** One captured direction of one connection. */
  static final class Flow {
    final FlowKey key;
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    long gaps;

    Flow(FlowKey key) {
      this.key = key;
    }

    /** "bgp", "bmp" or null, from the first bytes. */
    String kind() {
      byte[] b = data.toByteArray();
      if (b.length >= 19) {
        boolean marker = true;
        for (int i = 0; i < 16; i++) {
          marker &= b[i] == (byte) 0xff;
        }
        if (marker) {
          return "bgp";
        }
      }
      if (b.length >= 6 && (b[0] == 3 || b[0] == 4) && (b[5] & 0xff) <= 6) {
        return "bmp";
      }
      return null;
    }
  }

  static Map<Long, Flow> read(Path file) throws IOException {
    Map<Long, Flow> flows = new LinkedHashMap<>();
    try (TcpStreamReader r = TcpStreamReader.open(file)) {
      for (StreamEvent e; (e = r.next()) != null; ) {
        if (e.kind() == StreamEvent.Kind.END) {
          continue;
        }
        FlowKey key = e.flow();
        Flow f = flows.computeIfAbsent(e.streamId(), id -> new Flow(key));
        if (e.kind() == StreamEvent.Kind.DATA) {
          f.data.write(e.data());
        } else {
          f.gaps += e.gapBytes();
        }
      }
    }
    return flows;
  }
}
