package io.routewatch.alert.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serialises the two writers of alert state, the change handler and the ticker, with a
 * transaction-scoped PostgreSQL advisory lock: held until commit, so neither sees the other's
 * half-done work, and it also holds if two instances ever run against one database. In the process
 * a permit is taken first and held until the transaction has ended: it guards the in-memory network
 * views ({@link ViewStore}), whose changed rows are written just before commit and which a rollback
 * evicts before the next holder reads them.
 */
@ApplicationScoped
public class PipelineLock {
  private static final long KEY = 0x726f757465L; // "route"

  @Inject EntityManager em;
  @Inject TransactionSynchronizationRegistry transactions;
  @Inject ViewStore store;

  private final Semaphore permit = new Semaphore(1);

  /** Call first inside the transaction; once a transaction holds it, further calls cost nothing. */
  public void lock() {
    boolean inTx = transactions.getTransactionKey() != null;
    if (inTx && transactions.getResource(PipelineLock.class) != null) {
      return;
    }
    if (inTx) {
      permit.acquireUninterruptibly();
      AtomicBoolean held = new AtomicBoolean(true);
      Runnable release =
          () -> {
            if (held.getAndSet(false)) {
              permit.release();
            }
          };
      try {
        ViewStore.Work work = store.begin();
        transactions.registerInterposedSynchronization(
            new Synchronization() {
              @Override
              public void beforeCompletion() {
                work.flush();
              }

              @Override
              public void afterCompletion(int status) {
                try {
                  work.end(status == Status.STATUS_COMMITTED);
                } finally {
                  release.run();
                }
              }
            });
        transactions.putResource(ViewStore.Work.class, work);
        transactions.putResource(PipelineLock.class, Boolean.TRUE);
      } catch (RuntimeException e) {
        release.run();
        throw e;
      }
    }
    em.createNativeQuery("SELECT pg_advisory_xact_lock(" + KEY + ")").getSingleResult();
  }
}
