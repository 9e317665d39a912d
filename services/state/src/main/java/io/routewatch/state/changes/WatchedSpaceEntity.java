package io.routewatch.state.changes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** The one row of the saved watched space; the payload is the SetWatchedSpace request. */
@Entity
@Table(name = "watched_space")
public class WatchedSpaceEntity extends PanacheEntityBase {
  /** The only row's id. */
  static final short ID = 1;

  @Id public Short id;

  @Column(nullable = false)
  public byte[] request;

  @Column(nullable = false)
  public int prefixes;

  @Column(nullable = false)
  public int asns;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;
}
