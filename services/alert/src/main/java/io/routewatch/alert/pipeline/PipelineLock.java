package io.routewatch.alert.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Serialises the two writers of alert state, the change handler and the ticker, with a
 * transaction-scoped PostgreSQL advisory lock: held until commit, so neither sees the other's
 * half-done work, and it also holds if two instances ever run against one database.
 */
@ApplicationScoped
public class PipelineLock {
  private static final long KEY = 0x726f757465L; // "route"

  @Inject EntityManager em;
  @Inject TransactionSynchronizationRegistry transactions;

  /** Call first inside the transaction; once a transaction holds it, further calls cost nothing. */
  public void lock() {
    boolean inTx = transactions.getTransactionKey() != null;
    if (inTx && transactions.getResource(PipelineLock.class) != null) {
      return;
    }
    em.createNativeQuery("SELECT pg_advisory_xact_lock(" + KEY + ")").getSingleResult();
    if (inTx) {
      transactions.putResource(PipelineLock.class, Boolean.TRUE);
    }
  }
}
