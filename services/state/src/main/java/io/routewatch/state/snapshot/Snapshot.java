package io.routewatch.state.snapshot;

import io.routewatch.state.rib.RibImage;

/** One snapshot: when it was taken (wall clock), the ingest positions and the engine image. */
public record Snapshot(long createdMillis, IngestImage ingest, RibImage rib) {}
