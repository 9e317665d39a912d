package io.routewatch.alert.rule;

import io.routewatch.proto.v1.Change;
import java.util.List;

/** One alert type: turns state's changes into fire/resolve signals and words the messages. */
public interface AlertRule {
  AlertType type();

  /** Signals for this change (empty when the change does not concern this type). */
  List<Signal> evaluate(Change change, RuleContext ctx);

  /** The annotations sent when the alert resolves; {@code endsAtMicros} is when it ended. */
  Annotations resolved(ActiveAlert alert, long endsAtMicros);
}
