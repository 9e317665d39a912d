package io.routewatch.state.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ChangeEvent#percent} writes what {@code String.format("%.1f%%", x * 100)} writes (the
 * change's display text kept its wording when the Formatter left the writer thread): every share k
 * of n up to 256, the ties Formatter rounds from the shortest decimal (0.15 % → 0.2 %, not the
 * binary value's 0.1 %), negative values and zeros, and random values of every magnitude.
 */
class ChangeEventTextTest {
  private static void same(double fraction) {
    assertEquals(
        String.format("%.1f%%", fraction * 100),
        ChangeEvent.percent(new StringBuilder(), fraction).toString(),
        "fraction " + fraction);
  }

  @Test
  void everyShareOfUpTo256() {
    for (int n = 1; n <= 256; n++) {
      for (int k = 0; k <= n; k++) {
        same((double) k / n);
        same(-(double) k / n);
      }
    }
  }

  @Test
  void tiesRoundAsFormatterDoes() {
    for (int i = 0; i <= 20_000; i++) {
      same((i + 0.5) / 1000.0 / 100); // x.x5 % in percent points
      same(i / 20_000.0);
    }
    for (double x : new double[] {0.0015, 0.0025, 0.1225, 0.00125, 1.0005, 0.9995, 0.0, -0.0}) {
      same(x);
    }
  }

  @Test
  void randomValuesOfEveryMagnitude() {
    SplittableRandom r = new SplittableRandom(20261208);
    for (int i = 0; i < 200_000; i++) {
      double x = r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-8, 16));
      same(x);
    }
    for (double x :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300}) {
      same(x);
    }
  }
}
