package io.routewatch.state.snapshot;

/**
 * A snapshot file that cannot be used: what is wrong and where (file, byte offset). Loading reports
 * it and falls back to an older snapshot or to an empty state; it never stops the service.
 */
public final class SnapshotException extends Exception {
  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
