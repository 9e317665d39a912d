package io.routewatch.pg;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import org.junit.jupiter.api.Test;

class LocalPostgresTest {
  @Test
  void startsStopsAndRestartsOnTheSamePort() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start()) {
      assertTrue(accepts(pg.port()), "server listens on 127.0.0.1:" + pg.port());
      pg.stopServer();
      assertFalse(accepts(pg.port()), "stopped server must not listen");
      pg.restart();
      assertTrue(accepts(pg.port()), "restarted server listens again");
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
