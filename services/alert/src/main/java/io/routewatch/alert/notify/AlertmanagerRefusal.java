package io.routewatch.alert.notify;

import io.routewatch.servicekit.log.LogText;
import java.io.IOException;

/** Alertmanager answered a POST with a non-2xx status: what it said, kept for a dead letter. */
public class AlertmanagerRefusal extends IOException {
  public final int status;
  public final String body;

  public AlertmanagerRefusal(int status, String body) {
    super("HTTP " + status + ": " + LogText.safe(body, 200));
    this.status = status;
    this.body = body == null ? "" : body;
  }

  /** A refusal a retry cannot change (see {@link DeadLetterReason#ofStatus}); null if transient. */
  public DeadLetterReason permanent() {
    return DeadLetterReason.ofStatus(status);
  }
}
