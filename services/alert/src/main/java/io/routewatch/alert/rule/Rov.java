package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import io.routewatch.proto.v1.RovState;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The RFC 6811 state that state attaches to a prefix change ({@code Change.rov_state}, one per
 * origin in {@code origin_rov_states}), as rules word it and grade severity by it.
 */
public final class Rov {
  private Rov() {}

  /** The {@code rov} label value: valid, invalid-origin, invalid-length, not-found; "" unknown. */
  public static String label(RovState s) {
    return switch (s) {
      case ROV_STATE_VALID -> "valid";
      case ROV_STATE_INVALID_ASN -> "invalid-origin";
      case ROV_STATE_INVALID_LENGTH -> "invalid-length";
      case ROV_STATE_NOT_FOUND -> "not-found";
      default -> "";
    };
  }

  public static boolean invalid(RovState s) {
    return s == RovState.ROV_STATE_INVALID_ASN || s == RovState.ROV_STATE_INVALID_LENGTH;
  }

  /**
   * The state of {@code origin} for the change's prefix: its entry in {@code origin_rov_states}
   * (parallel to {@code origins_after}), else the change's {@code rov_state} when it names that one
   * origin; UNSPECIFIED when state did not validate it.
   */
  public static RovState of(Change c, long origin) {
    int n = Math.min(c.getOriginsAfterCount(), c.getOriginRovStatesCount());
    for (int i = 0; i < n; i++) {
      if (RuleText.u32(c.getOriginsAfter(i)) == origin) {
        return c.getOriginRovStates(i);
      }
    }
    if (c.getOriginRovStatesCount() == 0
        && (c.getOriginsAfterCount() <= 1)
        && (c.getOriginsAfterCount() == 0
            ? RuleText.u32(c.getAsn()) == origin
            : RuleText.u32(c.getOriginsAfter(0)) == origin)) {
      return c.getRovState();
    }
    return RovState.ROV_STATE_UNSPECIFIED;
  }

  /**
   * The least favourable state of {@code origins} (INVALID_ASN, INVALID_LENGTH, NOT_FOUND, VALID);
   * UNSPECIFIED when any of them was not validated (nothing to grade by).
   */
  public static RovState worst(Change c, Collection<Long> origins) {
    RovState w = null;
    for (long o : origins) {
      RovState s = of(c, o);
      if (s == RovState.ROV_STATE_UNSPECIFIED || s == RovState.UNRECOGNIZED) {
        return RovState.ROV_STATE_UNSPECIFIED;
      }
      w = w == null || rank(s) < rank(w) ? s : w;
    }
    return w == null ? RovState.ROV_STATE_UNSPECIFIED : w;
  }

  private static int rank(RovState s) {
    return switch (s) {
      case ROV_STATE_INVALID_ASN -> 0;
      case ROV_STATE_INVALID_LENGTH -> 1;
      case ROV_STATE_NOT_FOUND -> 2;
      default -> 3;
    };
  }

  /**
   * The severity of an origin change graded by the new origins' state: {@code severityRovValid}
   * when all are valid, {@code severityRovInvalid} when one is invalid, null (the type's {@code
   * severity}) when not found or not validated.
   */
  public static String severity(Thresholds th, RovState s) {
    if (s == RovState.ROV_STATE_VALID) {
      return th.severityRovValid();
    }
    return invalid(s) ? th.severityRovInvalid() : null;
  }

  /** "RPKI: AS17557 invalid-origin, AS36561 valid" ("" when state validated none of them). */
  public static String describe(Change c, Collection<Long> origins) {
    String s =
        origins.stream()
            .filter(o -> !label(of(c, o)).isEmpty())
            .map(o -> Fmt.as(o) + " " + label(of(c, o)))
            .collect(Collectors.joining(", "));
    return s.isEmpty() ? "" : "RPKI: " + s;
  }
}
