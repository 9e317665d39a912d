package io.routewatch.bgp.pcap;

import java.io.IOException;

/**
 * A capture file that cannot be read further: bad magic, a block or record whose length runs past
 * the end of the file, an impossible length. Carries where it happened.
 */
public final class CaptureException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long byteOffset;
  private final long frameNumber;

  public CaptureException(String what, long byteOffset, long frameNumber) {
    super(what + " (byte offset " + byteOffset + ", after frame " + frameNumber + ")");
    this.byteOffset = byteOffset;
    this.frameNumber = frameNumber;
  }

  /** Offset in the file of the record or block that failed. */
  public long byteOffset() {
    return byteOffset;
  }

  /** Number of the last frame read successfully before the failure (0 if none). */
  public long frameNumber() {
    return frameNumber;
  }
}
