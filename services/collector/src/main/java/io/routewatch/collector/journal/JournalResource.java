package io.routewatch.collector.journal;

import io.routewatch.collector.mrt.JournalFiles;
import io.routewatch.proto.v1.JournalFileInfo;
import io.routewatch.proto.v1.ListJournalFilesResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * REST face of the live journal: {@code GET /api/v1/journal/files} lists its MRT files, oldest
 * first, with the time range of their records, whether state acknowledged them whole and which one
 * is open — what an operator hands to bgpdump, BGPStream or a colleague. Times are ISO 8601 (UTC,
 * µs) and µs since the epoch. Errors are {@code {"error": "..."}}: 409 while the journal is off,
 * 500 when the directory cannot be read. Needs the read role (a GET).
 */
@Path("/api/v1/journal")
@Produces(MediaType.APPLICATION_JSON)
public class JournalResource {
  @Inject LiveJournal journal;

  @GET
  @Path("/files")
  public Response files() {
    ListJournalFilesResponse r;
    try {
      r = journal.list();
    } catch (JournalFiles.Off e) {
      return error(409, e.getMessage());
    } catch (IOException e) {
      return error(500, "cannot list the journal: " + e.getMessage());
    }
    List<Map<String, Object>> files = r.getFilesList().stream().map(JournalResource::json).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dir", r.getDir());
    out.put("files", files);
    return Response.ok(out, MediaType.APPLICATION_JSON).build();
  }

  private static Map<String, Object> json(JournalFileInfo f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", f.getPath());
    m.put("bytes", f.getBytes());
    m.put("interval_start", Instant.ofEpochSecond(f.getIntervalStartUnixSeconds()).toString());
    m.put("first_record", time(f.getFirstRecordMicros()));
    m.put("last_record", time(f.getLastRecordMicros()));
    m.put("first_record_micros", f.getFirstRecordMicros());
    m.put("last_record_micros", f.getLastRecordMicros());
    m.put("records", f.getRecords());
    m.put("acknowledged", f.getAcknowledged());
    m.put("open", f.getOpen());
    return m;
  }

  private static String time(long micros) {
    if (micros == 0) {
      return null;
    }
    return Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
        .toString();
  }

  private static Response error(int status, String message) {
    return Response.status(status)
        .entity(Map.of("error", message == null ? "" : message))
        .type(MediaType.APPLICATION_JSON)
        .build();
  }
}
