package io.routewatch.alert.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Serialises the two writers of alert state, the change handler and the ticker, with a
 * transaction-scoped PostgreSQL advisory lock: held until commit, so neither sees the other's
 * half-done work, and it also holds if two instances ever run against one database.
 */
@ApplicationScoped
public class PipelineLock {
  private static final long KEY = 0x726f757465L; // "route"

  @Inject EntityManager em;

  /** Call first inside the transaction. */
  public void lock() {
    em.createNativeQuery("SELECT pg_advisory_xact_lock(" + KEY + ")").getSingleResult();
  }
}
