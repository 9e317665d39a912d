package io.routewatch.bgp.pcap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts TCP payload back in order, per direction (RFC 9293 §3.4 sequence numbers, modulo 2^32).
 * Retransmitted bytes are dropped, overlapping segments trimmed, out-of-order segments held until
 * the hole before them fills. A hole that never fills (the capture missed a segment) is reported as
 * a {@link StreamEvent.Kind#GAP} once more than {@code maxBufferedBytes} wait behind it, or at
 * {@link #finish}. A capture that starts mid-connection starts each stream at the first payload
 * seen.
 */
public final class TcpReassembler {
  /** Default bound on bytes held behind a hole, per direction. */
  public static final int DEFAULT_MAX_BUFFERED = 4 * 1024 * 1024;

  private final int maxBufferedBytes;
  private final Map<FlowKey, Direction> directions = new HashMap<>();
  private long nextStreamId;

  public TcpReassembler() {
    this(DEFAULT_MAX_BUFFERED);
  }

  public TcpReassembler(int maxBufferedBytes) {
    this.maxBufferedBytes = maxBufferedBytes;
  }

  private static final class Direction {
    final long id;
    final FlowKey flow;
    boolean started;
    long nextSeq; // 32-bit sequence number of the next byte expected
    long next; // stream offset of that byte
    long synSeq = -1;
    long finOffset = -1;
    boolean ended;
    final TreeMap<Long, TcpSegment> pending = new TreeMap<>();
    final Map<Long, byte[]> pendingData = new HashMap<>();
    long pendingBytes;
    boolean delivered;
    boolean synData; // SYN carried payload: unsure whether it started at ISN or ISN + 1

    Direction(long id, FlowKey flow) {
      this.id = id;
      this.flow = flow;
    }
  }

  /** Feeds one segment; resulting events go to {@code out} in order. */
  public void accept(TcpSegment s, Consumer<StreamEvent> out) {
    Direction d = directions.get(s.flow());
    if (s.syn()) {
      if (d != null && (d.delivered || !d.pending.isEmpty() || d.ended) && d.synSeq != s.seq()) {
        // A new connection on the same four-tuple: close the old stream first.
        close(d, s.frameNumber(), s.timestampNanos(), out);
        d = null;
      }
      if (d == null) {
        d = new Direction(nextStreamId++, s.flow());
        directions.put(s.flow(), d);
      }
      if (!d.delivered) {
        // RFC 9293 §3.4: the SYN occupies one sequence number; data starts at ISN + 1. Capture
        // generators (tcpreplay-style rewriters used by pmacct's tests) put payload on the SYN and
        // continue at ISN + length, so SYN payload is placed at ISN and the next segment decides.
        d.synSeq = s.seq();
        d.nextSeq = s.payload().length > 0 ? s.seq() : (s.seq() + 1) & 0xffffffffL;
        d.synData = s.payload().length > 0;
        d.started = true;
      }
    } else if (d == null) {
      if (s.payload().length == 0) {
        return;
      }
      d = new Direction(nextStreamId++, s.flow());
      directions.put(s.flow(), d);
    }
    if (d.ended) {
      return;
    }
    long dataSeq = s.syn() && s.payload().length == 0 ? (s.seq() + 1) & 0xffffffffL : s.seq();
    if (!s.syn() && d.synData && (s.payload().length > 0 || s.fin())) {
      // First segment after a SYN with payload: one past where we expected means the SYN did
      // occupy a sequence number (TCP Fast Open, RFC 7413), so shift by one.
      if (s.seq() == ((d.nextSeq + 1) & 0xffffffffL)) {
        d.nextSeq = (d.nextSeq + 1) & 0xffffffffL;
      }
      d.synData = false;
    }
    if (s.payload().length > 0) {
      if (!d.started) {
        d.started = true;
        d.nextSeq = dataSeq;
      }
      onData(d, dataSeq, s.payload(), s, out);
    }
    if (s.fin()) {
      d.finOffset = d.next + (int) (dataSeq + s.payload().length - d.nextSeq);
    }
    if (s.rst() || (d.finOffset >= 0 && d.next >= d.finOffset)) {
      if (s.rst()) {
        flushPending(d, s.frameNumber(), s.timestampNanos(), out);
      }
      if (d.pending.isEmpty()) {
        d.ended = true;
        out.accept(StreamEvent.end(d.flow, d.id, d.next, s.frameNumber(), s.timestampNanos()));
      }
    }
  }

  private void onData(
      Direction d, long seq, byte[] payload, TcpSegment s, Consumer<StreamEvent> out) {
    // Signed distance modulo 2^32 between this segment and the next expected byte.
    long start = d.next + (int) (seq - d.nextSeq);
    long end = start + payload.length;
    if (end <= d.next) {
      return; // retransmission of bytes already delivered
    }
    if (start > d.next) {
      TcpSegment held = d.pending.get(start);
      if (held == null || d.pendingData.get(start).length < payload.length) {
        if (held != null) {
          d.pendingBytes -= d.pendingData.get(start).length;
        }
        d.pending.put(start, s);
        d.pendingData.put(start, payload);
        d.pendingBytes += payload.length;
      }
      if (d.pendingBytes > maxBufferedBytes) {
        skipToPending(d, s.frameNumber(), s.timestampNanos(), out);
      }
      return;
    }
    byte[] fresh =
        start < d.next
            ? Arrays.copyOfRange(payload, (int) (d.next - start), payload.length)
            : payload;
    deliver(d, fresh, s.frameNumber(), s.timestampNanos(), out);
    drain(d, out);
  }

  private void deliver(Direction d, byte[] data, long frame, long ts, Consumer<StreamEvent> out) {
    out.accept(StreamEvent.data(d.flow, d.id, d.next, data, frame, ts));
    d.next += data.length;
    d.nextSeq = (d.nextSeq + data.length) & 0xffffffffL;
    d.delivered = true;
  }

  private void drain(Direction d, Consumer<StreamEvent> out) {
    while (!d.pending.isEmpty() && d.pending.firstKey() <= d.next) {
      long start = d.pending.firstKey();
      TcpSegment s = d.pending.remove(start);
      byte[] data = d.pendingData.remove(start);
      d.pendingBytes -= data.length;
      long end = start + data.length;
      if (end > d.next) {
        byte[] fresh = Arrays.copyOfRange(data, (int) (d.next - start), data.length);
        deliver(d, fresh, s.frameNumber(), s.timestampNanos(), out);
      }
    }
  }

  /** Gives up on the hole before the first held segment: report it, then carry on from there. */
  private void skipToPending(Direction d, long frame, long ts, Consumer<StreamEvent> out) {
    long first = d.pending.firstKey();
    long missing = first - d.next;
    out.accept(StreamEvent.gap(d.flow, d.id, d.next, missing, frame, ts));
    d.next = first;
    d.nextSeq = (d.nextSeq + missing) & 0xffffffffL;
    drain(d, out);
  }

  private void flushPending(Direction d, long frame, long ts, Consumer<StreamEvent> out) {
    while (!d.pending.isEmpty()) {
      skipToPending(d, frame, ts, out);
    }
  }

  private void close(Direction d, long frame, long ts, Consumer<StreamEvent> out) {
    flushPending(d, frame, ts, out);
    if (!d.ended) {
      d.ended = true;
      out.accept(StreamEvent.end(d.flow, d.id, d.next, frame, ts));
    }
  }

  /** End of capture: reports remaining holes and ends every open stream, in stream-id order. */
  public void finish(Consumer<StreamEvent> out) {
    List<Direction> open = new ArrayList<>(directions.values());
    open.sort((a, b) -> Long.compare(a.id, b.id));
    for (Direction d : open) {
      if (!d.ended) {
        flushPending(d, 0, 0, out);
        d.ended = true;
        out.accept(StreamEvent.end(d.flow, d.id, d.next, 0, 0));
      }
    }
    directions.clear();
  }
}
