package io.routewatch.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throw-away CA and one server/client certificate for {@code localhost} and {@code 127.0.0.1},
 * laid out like a cert-manager Secret ({@code tls.crt}, {@code tls.key}, {@code ca.crt}). Made with
 * the JDK's own keytool, so the test needs no crypto library; keytool cannot export a private key,
 * so the key is read back from the PKCS#12 store and written as PKCS#8 PEM here.
 */
final class TestPki {
  private static final String PASS = "changeit";

  final Path dir;
  final Path caCrt;
  final Path tlsCrt;
  final Path tlsKey;

  private TestPki(Path dir) {
    this.dir = dir;
    this.caCrt = dir.resolve("ca.crt");
    this.tlsCrt = dir.resolve("tls.crt");
    this.tlsKey = dir.resolve("tls.key");
  }

  static TestPki create(Path dir) throws Exception {
    Files.createDirectories(dir);
    TestPki pki = new TestPki(dir);
    Path ca = dir.resolve("ca.p12");
    Path server = dir.resolve("server.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2",
        "-dname",
        "CN=routewatch e2e CA",
        "-ext",
        "bc:c",
        "-keystore",
        ca.toString());
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-file",
        pki.caCrt.toString());
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-keystore",
        server.toString());
    Path csr = dir.resolve("server.csr");
    Path crt = dir.resolve("server.crt");
    keytool(
        "-certreq", "-alias", "server", "-keystore", server.toString(), "-file", csr.toString());
    // Server and client usage, as the chart's cert-manager Certificate asks for (mTLS reuses it).
    keytool(
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-infile",
        csr.toString(),
        "-outfile",
        crt.toString(),
        "-rfc",
        "-validity",
        "2",
        "-ext",
        "san=dns:localhost,ip:127.0.0.1",
        "-ext",
        "eku=serverAuth,clientAuth",
        "-ext",
        "ku=digitalSignature");
    // tls.crt: leaf then issuer, like cert-manager writes it.
    Files.writeString(pki.tlsCrt, Files.readString(crt) + Files.readString(pki.caCrt));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(server)) {
      ks.load(in, PASS.toCharArray());
    }
    Key key = ks.getKey("server", PASS.toCharArray());
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(pki.tlsKey, pem);
    return pki;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASS, "-noprompt"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
    }
  }
}
