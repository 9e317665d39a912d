package io.routewatch.bgp.bmp;

/**
 * The only exception the BMP decoder and framer throw for bad input; it carries the {@link
 * BmpError} value. Anything else escaping from them is a bug.
 */
public final class BmpException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient BmpError error;

  public BmpException(BmpError error) {
    super(error.toString(), null, false, false);
    this.error = error;
  }

  public BmpError error() {
    return error;
  }
}
