package io.routewatch.servicekit.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnaryTest {
  static final class Recorder implements StreamObserver<String> {
    final List<String> values = new ArrayList<>();
    Status error;
    boolean completed;

    @Override
    public void onNext(String v) {
      values.add(v);
    }

    @Override
    public void onError(Throwable t) {
      error = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {
      completed = true;
    }
  }

  @Test
  void aResultIsSentAndCompleted() {
    Recorder r = new Recorder();
    Unary.answer(r, () -> "ok");
    assertEquals(List.of("ok"), r.values);
    assertTrue(r.completed);
    assertNull(r.error);
  }

  @Test
  void failuresBecomeStatusesTheClientCanActOn() {
    Recorder bad = new Recorder();
    Unary.answer(
        bad,
        () -> {
          throw new IllegalArgumentException("asn must be 1..4294967295");
        });
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.error.getCode());
    assertEquals("asn must be 1..4294967295", bad.error.getDescription());
    assertTrue(bad.values.isEmpty());

    Recorder passed = new Recorder();
    Unary.answer(
        passed,
        () -> {
          throw Status.NOT_FOUND.withDescription("no such entry").asRuntimeException();
        });
    assertEquals(Status.Code.NOT_FOUND, passed.error.getCode());
    assertEquals("no such entry", passed.error.getDescription());

    Recorder broken = new Recorder();
    Unary.answer(
        broken,
        () -> {
          throw new IllegalStateException("engine closed");
        });
    assertEquals(Status.Code.INTERNAL, broken.error.getCode());
    assertEquals("java.lang.IllegalStateException: engine closed", broken.error.getDescription());
    assertTrue(!broken.completed);
  }
}
