package dev.kopeck.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The calibration's fit: robust to a few outliers, where plain least squares is pulled away. */
class LearnerTest {
  private static void add(Learner.ModelStats m, long raw, long msgs, long billed, SplittableRandom random) {
    m.calls++;
    m.srr += (double) raw * raw;
    m.srm += (double) raw * msgs;
    m.smm += (double) msgs * msgs;
    m.sry += (double) raw * billed;
    m.smy += (double) msgs * billed;
    m.addPoint(raw, msgs, billed, random);
  }

  @Test
  void aFewOutliersDoNotMoveTheRobustFit() {
    SplittableRandom random = new SplittableRandom(1);
    Learner.ModelStats m = new Learner.ModelStats();
    for (int i = 0; i < 300; i++) {
      long raw = 50 + (i * 37L) % 400;
      long msgs = 1 + i % 4;
      long billed = Math.round(1.1 * raw) + 4 * msgs;
      if (i % 50 == 0) {
        billed *= 20; // a call billed for a cached prompt the log does not show
      }
      add(m, raw, msgs, billed, random);
    }
    double[] plain = Learner.fit(m);
    double[] robust = Learner.robustFit(m);
    assertThat(Math.abs(plain[0] - 1.1) + Math.abs(plain[1] - 4)).isGreaterThan(0.5);
    assertThat(robust[0]).isBetween(1.09, 1.11);
    assertThat(robust[1]).isBetween(3.5, 4.5);
  }

  @Test
  void theSampleOfFittedCallsStaysBounded() {
    SplittableRandom random = new SplittableRandom(2);
    Learner.ModelStats m = new Learner.ModelStats();
    for (int i = 0; i < 250_000; i++) {
      m.addPoint(i, 1, i, random);
    }
    assertThat(m.pointCount).isEqualTo(100_000);
    assertThat(m.pointsSeen).isEqualTo(250_000);
    assertThat(m.points.length).isLessThanOrEqualTo(3 * 2 * 100_000);
  }
}
