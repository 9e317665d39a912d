package io.routewatch.collector.publish;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * The state shards of {@code routewatch.collector.state-shards} ({@code name=host:port} entries)
 * and the gRPC channels to them.
 *
 * <p>Channels are grpc-java Netty channels (inbound messages up to 64 MiB), plaintext unless the
 * {@code state} client is configured for TLS. Two forms are read, both from the MicroProfile
 * config: {@code quarkus.grpc.clients.state.tls-configuration-name=<name>} with the Quarkus TLS
 * registry's {@code quarkus.tls.<name>.trust-store.pem.certs} (CA files) and optionally {@code
 * quarkus.tls.<name>.key-store.pem.0.cert} / {@code .key} (client certificate, mTLS); or, as the
 * Helm chart configures the single state client, {@code
 * quarkus.grpc.clients.state.plain-text=false} with {@code
 * quarkus.grpc.clients.state.ssl.trust-store} and optionally {@code ssl.certificate} / {@code
 * ssl.key}. Without CA files the JVM's default trust applies.
 */
final class StateShards {
  static final String PROPERTY = "routewatch.collector.state-shards";
  static final int MAX_INBOUND = 64 * 1024 * 1024;
  private static final String CLIENT = "quarkus.grpc.clients.state.";

  record Shard(String name, String host, int port) {}

  private StateShards() {}

  /** Parses {@code name=host:port} entries; a bad one fails with a message naming it. */
  static List<Shard> parse(List<String> entries) {
    List<Shard> shards = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String raw : entries) {
      String entry = raw == null ? "" : raw.trim();
      if (entry.isEmpty()) {
        continue; // "a,,b" or a trailing comma
      }
      Shard s = parseOne(entry);
      if (!names.add(s.name())) {
        throw bad(entry, "shard name " + s.name() + " is listed twice");
      }
      shards.add(s);
    }
    return shards;
  }

  private static Shard parseOne(String entry) {
    int eq = entry.indexOf('=');
    if (eq <= 0) {
      throw bad(entry, "no shard name before '='");
    }
    String name = entry.substring(0, eq).trim();
    String address = entry.substring(eq + 1).trim();
    if (name.isEmpty() || name.contains("#") || name.chars().anyMatch(Character::isWhitespace)) {
      throw bad(entry, "the shard name must be non-empty, without '#' or blanks");
    }
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw bad(entry, "the address must be host:port");
    }
    String host = address.substring(0, colon).trim();
    String portText = address.substring(colon + 1).trim();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // [::1]:9001
    } else if (host.contains(":")) {
      throw bad(entry, "an IPv6 address needs brackets: [::1]:9001");
    }
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      throw bad(entry, "empty or blank host");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw bad(entry, "port '" + portText + "' is not a number");
    }
    if (port < 1 || port > 65535) {
      throw bad(entry, "port " + port + " is not in 1-65535");
    }
    return new Shard(name, host, port);
  }

  private static IllegalArgumentException bad(String entry, String why) {
    return new IllegalArgumentException(
        PROPERTY
            + ": bad entry \""
            + entry
            + "\": "
            + why
            + " (want name=host:port, e.g. state-0=127.0.0.1:9001)");
  }

  /** A channel to the shard, TLS if the state client is configured for it (see class comment). */
  static ManagedChannel channel(Shard shard, Optional<SslContext> tls) {
    NettyChannelBuilder b =
        NettyChannelBuilder.forAddress(shard.host(), shard.port())
            .maxInboundMessageSize(MAX_INBOUND);
    if (tls.isPresent()) {
      b.sslContext(tls.get());
    } else {
      b.usePlaintext();
    }
    return b.build();
  }

  /** The client TLS context the state client's configuration asks for; empty = plaintext. */
  static Optional<SslContext> tls(Config config) {
    Optional<String> tlsName =
        config.getOptionalValue(CLIENT + "tls-configuration-name", String.class);
    List<String> cas;
    Optional<String> cert;
    Optional<String> key;
    String where;
    if (tlsName.isPresent() && !tlsName.get().isBlank()) {
      String p = "quarkus.tls." + tlsName.get().trim() + ".";
      cas = config.getOptionalValues(p + "trust-store.pem.certs", String.class).orElse(List.of());
      cert = config.getOptionalValue(p + "key-store.pem.0.cert", String.class);
      key = config.getOptionalValue(p + "key-store.pem.0.key", String.class);
      where = "quarkus.tls." + tlsName.get().trim();
    } else {
      Optional<Boolean> plain = config.getOptionalValue(CLIENT + "plain-text", Boolean.class);
      Optional<String> trust = config.getOptionalValue(CLIENT + "ssl.trust-store", String.class);
      cert = config.getOptionalValue(CLIENT + "ssl.certificate", String.class);
      key = config.getOptionalValue(CLIENT + "ssl.key", String.class);
      boolean tls = plain.map(p -> !p).orElse(trust.isPresent() || cert.isPresent());
      if (!tls) {
        return Optional.empty();
      }
      cas = trust.map(List::of).orElse(List.of());
      where = CLIENT + "ssl";
    }
    if (cert.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(
          where + ": a client certificate needs both the certificate and the key file");
    }
    try {
      SslContextBuilder b = GrpcSslContexts.forClient();
      if (!cas.isEmpty()) {
        b.trustManager(certificates(cas));
      }
      if (cert.isPresent()) {
        b.keyManager(new File(cert.get().trim()), new File(key.get().trim()));
      }
      return Optional.of(b.build());
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException(
          "state shards: cannot set up TLS from " + where + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] certificates(List<String> files)
      throws IOException, CertificateException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (String f : files) {
      if (f.isBlank()) {
        continue;
      }
      try (InputStream in = Files.newInputStream(Path.of(f.trim()))) {
        for (var c : cf.generateCertificates(in)) {
          out.add((X509Certificate) c);
        }
      }
    }
    if (out.isEmpty()) {
      throw new CertificateException("no certificate in " + files);
    }
    return out.toArray(X509Certificate[]::new);
  }
}
