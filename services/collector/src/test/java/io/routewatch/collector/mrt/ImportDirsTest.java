package io.routewatch.collector.mrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.routewatch.collector.CollectorConfig;
import io.routewatch.collector.publish.TestLinks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code routewatch.collector.mrt.import-dirs}: a path is allowed only when its real path (after
 * symlinks and {@code ..}) lies under the real path of an allowed directory or the watch dir.
 */
class ImportDirsTest {
  @TempDir Path tmp;
  Path allowed;
  Path file;

  @BeforeEach
  void files() throws Exception {
    allowed = Files.createDirectories(tmp.resolve("mrt"));
    file =
        Files.copy(
            MrtWatcherTest.DATA.resolve("ripe-bgpdump/updates.20020722.2238.gz"),
            allowed.resolve("u.gz"));
  }

  static ImportDirs dirs(Map<String, String> props) {
    Map<String, String> all = new HashMap<>(props);
    return new ImportDirs(TestLinks.config(all).getConfigMapping(CollectorConfig.class).mrt());
  }

  ImportDirs allowing(Path... dirs) {
    return dirs(
        Map.of(
            "routewatch.collector.mrt.import-dirs",
            String.join(",", List.of(dirs).stream().map(Path::toString).toList())));
  }

  @Test
  void unsetMeansNoImportsAndSaysWhatToSet() {
    ImportDirs.Refused e =
        assertThrows(ImportDirs.Refused.class, () -> dirs(Map.of()).check(file.toString()));
    assertTrue(e.getMessage().contains("routewatch.collector.mrt.import-dirs"), e.getMessage());
    assertTrue(e.getMessage().contains("ROUTEWATCH_COLLECTOR_MRT_IMPORT_DIRS"), e.getMessage());
    assertEquals(List.of(), e.allowed());
  }

  @Test
  void aFileUnderAnAllowedDirIsItsRealPath() throws Exception {
    assertEquals(file.toRealPath(), allowing(allowed).check(file.toString()));
    // the allowed dir given through a symlink, and a path through it: both compared as real paths
    Path linkToDir = Files.createSymbolicLink(tmp.resolve("via-link"), allowed);
    assertEquals(
        file.toRealPath(), allowing(linkToDir).check(linkToDir.resolve("u.gz").toString()));
  }

  @Test
  void theWatchDirIsAlwaysAllowed() throws Exception {
    ImportDirs d = dirs(Map.of("routewatch.collector.mrt.watch-dir", allowed.toString()));
    assertEquals(file.toRealPath(), d.check(file.toString()));
  }

  @Test
  void systemFilesAreRefusedNamingTheAllowedDirs() throws Exception {
    ImportDirs d = allowing(allowed);
    String real = allowed.toRealPath().toString();
    for (String p : List.of("/etc/passwd", "/proc/self/environ", "/etc/shadow")) {
      ImportDirs.Refused e = assertThrows(ImportDirs.Refused.class, () -> d.check(p), p);
      assertTrue(e.getMessage().contains(real), e.getMessage());
      assertEquals(List.of(real), e.allowed());
    }
  }

  @Test
  void aSymlinkInsideToAFileOutsideIsRefused() throws Exception {
    Path link = Files.createSymbolicLink(allowed.resolve("passwd.gz"), Path.of("/etc/passwd"));
    assertThrows(ImportDirs.Refused.class, () -> allowing(allowed).check(link.toString()));
    Path dirLink = Files.createSymbolicLink(allowed.resolve("etc"), Path.of("/etc"));
    assertThrows(
        ImportDirs.Refused.class,
        () -> allowing(allowed).check(dirLink.resolve("passwd").toString()));
  }

  @Test
  void dotDotOutOfAnAllowedDirIsRefused() {
    ImportDirs d = allowing(allowed);
    String up = allowed + "/../../../../../../../../etc/passwd";
    assertThrows(ImportDirs.Refused.class, () -> d.check(up));
    assertThrows(ImportDirs.Refused.class, () -> d.check(allowed + "/.."));
    assertThrows(ImportDirs.Refused.class, () -> d.check(allowed.toString())); // the dir itself
  }

  @Test
  void aSiblingWithTheSamePrefixIsNotInside() throws Exception {
    Path sibling = Files.createDirectories(tmp.resolve("mrt2"));
    Path f = Files.copy(file, sibling.resolve("u.gz"));
    assertThrows(ImportDirs.Refused.class, () -> allowing(allowed).check(f.toString()));
  }

  /** A missing file is "not readable" inside, and the same refusal as any other outside. */
  @Test
  void existenceIsOnlyToldInsideTheAllowedDirs() {
    ImportDirs d = allowing(allowed);
    IllegalArgumentException in =
        assertThrows(
            IllegalArgumentException.class, () -> d.check(allowed.resolve("none.gz").toString()));
    assertTrue(in.getMessage().contains("not a readable file"), in.getMessage());
    ImportDirs.Refused missing =
        assertThrows(ImportDirs.Refused.class, () -> d.check("/etc/none-such"));
    ImportDirs.Refused present =
        assertThrows(ImportDirs.Refused.class, () -> d.check("/etc/hostname"));
    assertEquals(present.getMessage(), missing.getMessage());
  }

  @Test
  void aConfiguredDirThatDoesNotExistHoldsNothing() {
    ImportDirs d = allowing(tmp.resolve("not-there"));
    ImportDirs.Refused e = assertThrows(ImportDirs.Refused.class, () -> d.check(file.toString()));
    assertTrue(e.getMessage().contains("not-there"), e.getMessage());
  }
}
