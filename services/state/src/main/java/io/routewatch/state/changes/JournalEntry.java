package io.routewatch.state.changes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One row of the change journal; the payload is the {@code routewatch.v1.Change} message. */
@Entity
@Table(name = "change_journal")
public class JournalEntry extends PanacheEntityBase {
  @Id public Long seq;

  @Column(name = "time_micros", nullable = false)
  public long timeMicros;

  @Column(nullable = false, length = 32)
  public String kind;

  public Long asn;

  @Column(length = 2)
  public String country;

  @Column(nullable = false)
  public byte[] payload;

  @Column(name = "recorded_at", nullable = false)
  public OffsetDateTime recordedAt;
}
