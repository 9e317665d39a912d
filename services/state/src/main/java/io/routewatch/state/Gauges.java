package io.routewatch.state;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Gauges bound to this application's objects. Micrometer's {@code registry.gauge} keeps a weak
 * reference and, when a meter of that name exists, returns the existing one: in a JVM that starts
 * the application more than once (Quarkus tests) the gauges stayed bound to the first instance's
 * objects, read NaN and then vanished once those were collected. Here a gauge replaces any meter
 * of its name and holds its object strongly (it lives as long as the application anyway).
 */
public final class Gauges {
  private Gauges() {}

  public static <T> void gauge(MeterRegistry registry, String name, T obj, ToDoubleFunction<T> value) {
    registry.find(name).meters().forEach(registry::remove);
    Gauge.builder(name, obj, value).strongReference(true).register(registry);
  }

  public static void gauge(MeterRegistry registry, String name, Number number) {
    gauge(registry, name, number, Number::doubleValue);
  }
}
