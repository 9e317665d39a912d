package io.routewatch.bgp.bmp;

/**
 * A version-3 message of a type this library does not know (RFC 7854 §4.1 registry grows): kept raw
 * so a session can skip it and count it.
 */
public record UnknownBmpMessage(int typeCode, byte[] body) implements BmpMessage {}
