package io.routewatch.state.web;

import io.routewatch.state.changes.ChangeJournal;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Server-sent events for the web page: one {@code tick} event with the journal's last sequence
 * whenever state's change journal advances, and a keep-alive tick every
 * {@code routewatch.web.keep-alive} otherwise. The page refetches what it shows on each advance;
 * the payload stays tiny so a slow page never holds up state.
 */
@Path("/web/live")
public class LiveResource {
  @Inject ChangeJournal journal;
  @Inject WebConfig config;

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Blocking
  public void live(@Context SseEventSink sink, @Context Sse sse) {
    // one worker thread per open page: fine for an operator's page, bounded by the worker pool
    Thread t = new Thread(() -> stream(sink, sse), "web-live");
    t.setDaemon(true);
    t.start();
  }

  private void stream(SseEventSink sink, Sse sse) {
    long seen = journal.lastSequence();
    try (sink) {
      send(sink, sse, seen, false);
      while (!sink.isClosed()) {
        journal.awaitBeyond(seen, config.keepAlive().toMillis());
        long now = journal.lastSequence();
        boolean changed = now != seen;
        seen = now;
        if (!send(sink, sse, now, !changed)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the page went away
    }
  }

  private static boolean send(SseEventSink sink, Sse sse, long seq, boolean keepAlive) {
    if (sink.isClosed()) {
      return false;
    }
    OutboundSseEvent ev = sse.newEventBuilder()
        .name("tick")
        .id(Long.toString(seq))
        .mediaType(MediaType.APPLICATION_JSON_TYPE)
        .data(String.class, "{\"sequence\":" + seq + ",\"keepAlive\":" + keepAlive + "}")
        .build();
    try {
      sink.send(ev).toCompletableFuture().join();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
