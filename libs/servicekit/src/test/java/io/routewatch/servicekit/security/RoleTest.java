package io.routewatch.servicekit.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleTest {
  @Test
  void everyCallNeedsTheRoleItsEffectCalls() {
    assertEquals(Role.INGEST, Role.of("routewatch.v1.IngestService/Publish"));
    assertEquals(Role.INGEST, Role.of("routewatch.v1.IngestService/GetStreamPositions"));
    assertEquals(Role.INGEST, Role.of("routewatch.v1.StateShard/GetUpstreamPartial"));
    assertEquals(Role.READ, Role.of("routewatch.v1.StateQuery/GetUpstreams"));
    assertEquals(Role.READ, Role.of("routewatch.v1.StateChanges/Subscribe"));
    assertEquals(Role.READ, Role.of("routewatch.v1.AlertService/ListWatch"));
    assertEquals(Role.READ, Role.of("routewatch.v1.ImportService/ListJournalFiles"));
    assertEquals(Role.READ, Role.of("grpc.reflection.v1.ServerReflection/ServerReflectionInfo"));
    assertEquals(Role.ADMIN, Role.of("routewatch.v1.AlertService/AddWatch"));
    assertEquals(Role.ADMIN, Role.of("routewatch.v1.AlertService/ImportWatch"));
    assertEquals(Role.ADMIN, Role.of("routewatch.v1.ImportService/StartImport"));
    assertEquals(Role.ADMIN, Role.of("routewatch.v1.StateChanges/SetWatchedSpace"));
    assertEquals(Role.READ, Role.of("routewatch.v1.ImportService/GetImport"));
    assertEquals(Role.READ, Role.ofHttp("GET"));
    assertEquals(Role.ADMIN, Role.ofHttp("POST"));
    assertEquals(Role.ADMIN, Role.ofHttp("DELETE"));
  }

  @Test
  void adminReadsIngestDoesNot() {
    assertTrue(Role.READ.grantedBy(Set.of(Role.ADMIN)));
    assertFalse(Role.READ.grantedBy(Set.of(Role.INGEST)));
    assertFalse(Role.INGEST.grantedBy(Set.of(Role.READ, Role.ADMIN)));
    assertFalse(Role.ADMIN.grantedBy(Set.of(Role.READ)));
    assertTrue(Role.INGEST.grantedBy(EnumSet.allOf(Role.class)));
  }
}
