package io.routewatch.bgp.pcap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Replays a capture file as reassembled TCP streams: {@link #next()} yields {@link StreamEvent}s in
 * capture order, each direction of each connection with its own {@code streamId}. A capture file
 * that ends mid-record is not fatal: the streams end there and {@link #captureError()} says why.
 *
 * <pre>{@code
 * try (TcpStreamReader r = TcpStreamReader.open(path)) {
 *   for (StreamEvent e; (e = r.next()) != null; ) { ... }
 * }
 * }</pre>
 */
public final class TcpStreamReader implements Closeable {
  private final CaptureReader capture;
  private final TcpReassembler reassembler;
  private final ArrayDeque<StreamEvent> queue = new ArrayDeque<>();
  private boolean done;
  private CaptureException captureError;
  private long frames;
  private long tcpFrames;

  public TcpStreamReader(CaptureReader capture, TcpReassembler reassembler) {
    this.capture = capture;
    this.reassembler = reassembler;
  }

  /** Opens a pcap or pcapng file with default reassembly limits. */
  public static TcpStreamReader open(Path file) throws IOException {
    return new TcpStreamReader(CaptureReader.open(file), new TcpReassembler());
  }

  /** The next event, or {@code null} when the capture and all streams have ended. */
  public StreamEvent next() throws IOException {
    while (queue.isEmpty()) {
      if (done) {
        return null;
      }
      CaptureFrame f;
      try {
        f = capture.next();
      } catch (CaptureException e) {
        captureError = e;
        f = null;
      }
      if (f == null) {
        done = true;
        reassembler.finish(queue::add);
        continue;
      }
      frames++;
      TcpSegment s = PacketDecoder.tcp(f);
      if (s != null) {
        tcpFrames++;
        reassembler.accept(s, queue::add);
      }
    }
    return queue.poll();
  }

  /** Why the capture file stopped early, if it did. */
  public Optional<CaptureException> captureError() {
    return Optional.ofNullable(captureError);
  }

  /** Frames read so far. */
  public long frames() {
    return frames;
  }

  /** Frames that carried a TCP segment. */
  public long tcpFrames() {
    return tcpFrames;
  }

  @Override
  public void close() throws IOException {
    capture.close();
  }
}
