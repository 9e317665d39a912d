package io.routewatch.alert.notify;

/**
 * Why a notification was dead-lettered: the {@code reason} label of
 * routewatch_alert_deliveries_dead_lettered_total (bounded: these values only, all pre-registered
 * at 0).
 */
public enum DeadLetterReason {
  /** 400 or 422: Alertmanager found the alert invalid (labels, times, JSON). */
  BAD_REQUEST("bad_request"),
  /** 401, 403, 407: credentials (a proxy in front of Alertmanager) refused. */
  UNAUTHORIZED("unauthorized"),
  /** 404, 405, 410: the URL is not an Alertmanager API v2. */
  NOT_FOUND("not_found"),
  /** 413, 414, 431: the alert is too large for the server. */
  TOO_LARGE("too_large"),
  /** Any other 4xx except 408 and 429 (those are retried). */
  OTHER_4XX("other_4xx"),
  /** Queued for an Alertmanager URL that is no longer configured (moved at start). */
  TARGET_REMOVED("target_removed");

  public final String label;

  DeadLetterReason(String label) {
    this.label = label;
  }

  /**
   * The reason for a refusal, or null when the status is worth retrying: 2xx (not a refusal), 408
   * Request Timeout and 429 Too Many Requests (RFC 9110 §15.5.9, RFC 6585 §4: the server asks to
   * come back later), 5xx (the server's fault) and anything else outside 4xx.
   */
  public static DeadLetterReason ofStatus(int status) {
    return switch (status) {
      case 408, 429 -> null;
      case 400, 422 -> BAD_REQUEST;
      case 401, 403, 407 -> UNAUTHORIZED;
      case 404, 405, 410 -> NOT_FOUND;
      case 413, 414, 431 -> TOO_LARGE;
      default -> status >= 400 && status < 500 ? OTHER_4XX : null;
    };
  }
}
