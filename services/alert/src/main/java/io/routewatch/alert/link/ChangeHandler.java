package io.routewatch.alert.link;

import io.routewatch.proto.v1.Change;
import java.util.List;

/**
 * Receives state's changes in sequence order. {@link #handle} and {@link #handleAll} run inside the
 * transaction that also advances the cursor, so a change is handled exactly once across restarts.
 */
public interface ChangeHandler {
  void handle(Change change);

  /**
   * A batch of changes, in sequence order, in one transaction with the cursor advanced to the last
   * of them. The default handles them one by one; a handler may read what the batch needs at once.
   */
  default void handleAll(List<Change> changes) {
    for (Change c : changes) {
      handle(c);
    }
  }
}
