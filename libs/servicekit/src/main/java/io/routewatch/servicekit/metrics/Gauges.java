package io.routewatch.servicekit.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * Gauges bound to this application's objects. Micrometer's {@code registry.gauge} keeps a weak
 * reference and, when a meter of that name and tags exists, returns the existing one: in a JVM that
 * starts an application more than once (Quarkus tests) the gauges stayed bound to the first
 * instance's objects, read NaN and then vanished once those were collected (seen in CI:
 * StateServiceTest missed routewatch_state_ingest_streams_connected). Here a gauge replaces any
 * meter of its name and tags and holds its object strongly (it lives as long as the application).
 */
public final class Gauges {
  private Gauges() {}

  public static <T> void gauge(
      MeterRegistry registry, String name, T obj, ToDoubleFunction<T> value) {
    gauge(registry, name, Tags.empty(), obj, value);
  }

  public static void gauge(MeterRegistry registry, String name, Number number) {
    gauge(registry, name, Tags.empty(), number, Number::doubleValue);
  }

  public static void gauge(MeterRegistry registry, String name, Iterable<Tag> tags, Number number) {
    gauge(registry, name, tags, number, Number::doubleValue);
  }

  public static <T> void gauge(
      MeterRegistry registry, String name, Iterable<Tag> tags, T obj, ToDoubleFunction<T> value) {
    Tags t = Tags.of(tags);
    registry.find(name).tags(t).meters().stream()
        .filter(m -> Tags.of(m.getId().getTags()).equals(t))
        .forEach(registry::remove);
    Gauge.builder(name, obj, value).tags(t).strongReference(true).register(registry);
  }
}
