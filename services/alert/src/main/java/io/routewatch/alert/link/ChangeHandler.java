package io.routewatch.alert.link;

import io.routewatch.proto.v1.Change;

/**
 * Receives state's changes in sequence order. {@link #handle} runs inside the transaction that also
 * advances the cursor, so a change is handled exactly once across restarts.
 */
public interface ChangeHandler {
  void handle(Change change);
}
