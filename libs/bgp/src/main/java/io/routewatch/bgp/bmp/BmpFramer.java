package io.routewatch.bgp.bmp;

import java.util.Arrays;

/**
 * Splits a BMP TCP byte stream into messages using the common header length (RFC 7854 §4.1). A thin
 * adapter: it checks only what framing needs (version 3 or draft 4, a length between the smallest
 * legal message of the type and {@code maxMessageSize}); bodies are left to {@link
 * BmpMessageDecoder}.
 *
 * <p>Partial reads are buffered. When a header is not plausible the stream has lost framing: in
 * {@link OnError#CLOSE} mode (for live sessions) the framer reports {@link
 * BmpError.Action#CLOSE_SESSION} and ignores further input — the router re-sends Initiation, Peer
 * Ups and a full dump on the next connection (RFC 7854 §3.3); in {@link OnError#RESYNC} mode (for
 * captures with lost segments) it reports {@link BmpError.Action#RESYNC} and scans forward for the
 * next plausible header. {@link #gap} tells the framer bytes are missing (always resyncs).
 *
 * <p>Not thread-safe: one framer per TCP connection.
 */
public final class BmpFramer {
  /** Default maximum message size: room for a Peer Up with two 64 KiB OPENs (RFC 8654). */
  public static final int DEFAULT_MAX_MESSAGE = 256 * 1024;

  /** What to do when the stream cannot be framed. */
  public enum OnError {
    CLOSE,
    RESYNC
  }

  /** Receives framed messages and framing errors, in stream order. */
  public interface Sink {
    void onFrame(BmpFrame frame);

    void onError(BmpError error);
  }

  private final int maxMessageSize;
  private final OnError onError;
  private byte[] buf = new byte[8192];
  private int start;
  private int end;
  private long bufferOffset; // stream offset of buf[start]
  private long messageNumber;
  private boolean resyncing;
  private boolean closed;

  public BmpFramer() {
    this(DEFAULT_MAX_MESSAGE, OnError.CLOSE);
  }

  public BmpFramer(int maxMessageSize, OnError onError) {
    if (maxMessageSize < BmpCommonHeader.LENGTH) {
      throw new IllegalArgumentException("maxMessageSize " + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
    this.onError = onError;
  }

  /** Whether framing was lost in CLOSE mode; further input is ignored. */
  public boolean closed() {
    return closed;
  }

  /** Bytes buffered waiting for the rest of a message. */
  public int buffered() {
    return end - start;
  }

  /** Messages framed so far. */
  public long messages() {
    return messageNumber;
  }

  /** Appends bytes from the stream and emits every message they complete. */
  public void feed(byte[] data, int off, int len, Sink sink) {
    if (closed || len == 0) {
      return;
    }
    append(data, off, len);
    drain(sink);
  }

  /**
   * The stream lost {@code missing} bytes: drop any partial message and look for the next header.
   */
  public void gap(long missing, Sink sink) {
    if (closed) {
      return;
    }
    if (end > start && !resyncing) {
      sink.onError(
          error("stream gap of " + missing + " bytes inside a message", 0, BmpError.Action.RESYNC));
    }
    bufferOffset += (end - start) + missing;
    start = end = 0;
    resyncing = true;
  }

  private void drain(Sink sink) {
    while (!closed) {
      int avail = end - start;
      if (resyncing) {
        if (!resync()) {
          return;
        }
        continue;
      }
      if (avail < BmpCommonHeader.LENGTH) {
        return;
      }
      String problem = headerProblem(start);
      if (problem != null) {
        if (onError == OnError.CLOSE) {
          sink.onError(error(problem, Math.min(avail, 64), BmpError.Action.CLOSE_SESSION));
          closed = true;
          start = end = 0;
          return;
        }
        sink.onError(error(problem, Math.min(avail, 64), BmpError.Action.RESYNC));
        skip(1);
        resyncing = true;
        continue;
      }
      int length = (int) BmpCommonHeader.read(buf, start).length();
      if (avail < length) {
        return;
      }
      byte[] msg = Arrays.copyOfRange(buf, start, start + length);
      long at = bufferOffset;
      skip(length);
      sink.onFrame(new BmpFrame(++messageNumber, at, msg));
    }
  }

  /** Why the header at {@code p} cannot start a message, or {@code null} if it can. */
  private String headerProblem(int p) {
    BmpCommonHeader h = BmpCommonHeader.read(buf, p);
    // RFC 7854 §4.1: version 3; 1 and 2 were drafts with other header layouts. Draft BMPv4
    // (draft-ietf-grow-bmp-tlv) keeps this header, so it is framed and left to the decoder.
    if (h.version() != BmpCommonHeader.VERSION && h.version() != BmpCommonHeader.VERSION_4_DRAFT) {
      return "unsupported BMP version " + h.version() + " (RFC 7854 §4.1)";
    }
    // RFC 7854 §4.1: the length covers the common header and the whole message.
    if (h.length() < minLength(h.type())) {
      return "BMP message length "
          + h.length()
          + " too short for type "
          + h.type()
          + " (RFC 7854 §4.1)";
    }
    if (h.length() > maxMessageSize) {
      return "BMP message length " + h.length() + " exceeds the maximum " + maxMessageSize;
    }
    return null;
  }

  /** Smallest legal message of each type (RFC 7854 §4.2–§4.10). */
  static int minLength(int type) {
    BmpMessageType t = BmpMessageType.of(type);
    if (t == null) {
      return BmpCommonHeader.LENGTH;
    }
    int pp = BmpCommonHeader.LENGTH + PerPeerHeader.LENGTH;
    return switch (t) {
      case ROUTE_MONITORING -> pp + BgpPdu.HEADER;
      case STATISTICS_REPORT -> pp + 4;
      case PEER_DOWN_NOTIFICATION -> pp + 1;
      case PEER_UP_NOTIFICATION -> pp + 20 + 2 * BgpPdu.HEADER;
      case ROUTE_MIRRORING -> pp;
      case INITIATION, TERMINATION -> BmpCommonHeader.LENGTH;
    };
  }

  /**
   * Scans for a plausible header: valid by {@link #headerProblem}, a known type, a per-peer header
   * with a known peer type, and a BGP marker where one must follow. Returns false when more bytes
   * are needed to decide.
   */
  private boolean resync() {
    while (end - start >= BmpCommonHeader.LENGTH) {
      int verdict = plausibleAt(start);
      if (verdict > 0) {
        resyncing = false;
        return true;
      }
      if (verdict == 0) {
        return false;
      }
      skip(1);
    }
    return false;
  }

  /** 1 plausible, -1 not, 0 need more bytes. */
  private int plausibleAt(int p) {
    if (headerProblem(p) != null) {
      return -1;
    }
    BmpCommonHeader h = BmpCommonHeader.read(buf, p);
    BmpMessageType t = h.messageType();
    if (t == null) {
      return -1;
    }
    int avail = end - p;
    if (t.hasPerPeerHeader()) {
      if (avail < BmpCommonHeader.LENGTH + 1) {
        return 0;
      }
      if ((buf[p + BmpCommonHeader.LENGTH] & 0xff) > PerPeerHeader.TYPE_LOC_RIB) {
        return -1;
      }
    }
    int marker =
        t == BmpMessageType.ROUTE_MONITORING
            ? 48
            : t == BmpMessageType.PEER_UP_NOTIFICATION ? 68 : -1;
    if (marker > 0) {
      if (avail < marker + 16) {
        return 0;
      }
      for (int i = 0; i < 16; i++) {
        if (buf[p + marker + i] != (byte) 0xff) {
          return -1;
        }
      }
    }
    return 1;
  }

  private void skip(int n) {
    start += n;
    bufferOffset += n;
    if (start == end) {
      start = end = 0;
    }
  }

  private void append(byte[] data, int off, int len) {
    if (end + len > buf.length) {
      int live = end - start;
      if (live + len <= buf.length && start > 0) {
        System.arraycopy(buf, start, buf, 0, live);
      } else {
        byte[] bigger = new byte[Math.max(buf.length * 2, live + len)];
        System.arraycopy(buf, start, bigger, 0, live);
        buf = bigger;
      }
      start = 0;
      end = live;
    }
    System.arraycopy(data, off, buf, end, len);
    end += len;
  }

  private BmpError error(String what, int rawLen, BmpError.Action action) {
    return new BmpError(
        what,
        messageNumber + 1,
        bufferOffset,
        0,
        BmpError.cap(buf, start, Math.min(rawLen, end - start)),
        action);
  }
}
