package io.routewatch.state.rib;

/**
 * Receives the engine's change events. Called on the writer thread while the engine's write lock is
 * held: implementations must be quick (hand the event to a queue) and must not call the engine's
 * update methods. Queries from inside the callback are allowed (the lock is reentrant).
 */
@FunctionalInterface
public interface ChangeListener {
  ChangeListener NONE = e -> {};

  void onChange(ChangeEvent event);
}
