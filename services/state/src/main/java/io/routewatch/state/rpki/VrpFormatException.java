package io.routewatch.state.rpki;

/** A VRP source that cannot be read at all (not one bad row: those are counted and skipped). */
public class VrpFormatException extends Exception {
  public VrpFormatException(String message) {
    super(message);
  }

  public VrpFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
