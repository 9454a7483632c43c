package dev.kopeck.core.reconcile;

import dev.kopeck.pricing.cost.CostLine;
import dev.kopeck.core.estimate.Calibration;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.tariff.Rate;
import dev.kopeck.pricing.tariff.RateUnit;
import dev.kopeck.pricing.usage.Usage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Learns from reconciled calls, in constant memory (sums and bounded samples):
 *
 * <ul>
 *   <li>calibration, per model: billed text = ratio × counted text + overhead × messages, fitted on
 *       the calls that have both a request and a usage, robustly (least squares, then again
 *       without the calls whose relative residual is beyond three robust deviations: one outlier
 *       does not move the fit); the median and 95th percentile of output tokens. Every fifth call
 *       is held out of the fit, and the estimate's error on those calls is reported before and
 *       after calibration. A model is calibrated only from enough calls, and only when its
 *       calibration does better than the defaults on the held-out calls ({@link #calibrate});
 *   <li>a tariff check, from calls with a provider-reported charge: how many charges the tariff
 *       explains, how many the other reading of the image line explains (per token or per image),
 *       and the rate each charge implies for each line, reporting the rates that do not fit.
 * </ul>
 */
final class Learner {
  private static final int SAMPLES = 100_000;
  private static final MathContext MC = MathContext.DECIMAL64;

  private final SplittableRandom random = new SplittableRandom(20261125);
  private final Map<String, ModelStats> models = new TreeMap<>();
  private final Map<String, TariffStats> tariffs = new TreeMap<>();

  /** Sums for the 2-parameter least squares. */
  static class Sums {
    long calls;
    double srr;
    double srm;
    double smm;
    double sry;
    double smy;
  }

  /** Sums, output samples, a sample of the fitted calls, held-out calls. */
  static final class ModelStats extends Sums {
    final int[] outputs = new int[SAMPLES];
    long outputsSeen;
    final List<long[]> heldOut = new ArrayList<>(); // {raw, messages, fixed+media, actual input, estimated input}
    long[] points = new long[48]; // a sample of the fitted calls: raw, messages, billed text
    int pointCount;
    long pointsSeen;

    void addPoint(long raw, long msgs, long billedText, SplittableRandom random) {
      int at;
      if (pointCount < SAMPLES) {
        if (3 * pointCount == points.length) {
          points = Arrays.copyOf(points, points.length * 2);
        }
        at = pointCount++;
      } else {
        long j = random.nextLong(pointsSeen + 1);
        if (j >= SAMPLES) {
          pointsSeen++;
          return;
        }
        at = (int) j;
      }
      pointsSeen++;
      points[3 * at] = raw;
      points[3 * at + 1] = msgs;
      points[3 * at + 2] = billedText;
    }
  }

  static final class TariffStats {
    long withReported;
    long explained;
    long explainedOtherImageUnit;
    long withImages;
    String otherImageUnit = "";
    final Map<ChargeKind, List<BigDecimal>> implied = new LinkedHashMap<>();
    final Map<ChargeKind, Rate> rates = new LinkedHashMap<>();
  }

  void add(Reconciliation r) {
    if (r.usage() == null) {
      return;
    }
    Usage u = r.usage();
    ModelStats m = models.computeIfAbsent(r.model(), k -> new ModelStats());
    int out = (int) Math.min(Integer.MAX_VALUE, u.outputTokens());
    if (m.outputsSeen < SAMPLES) {
      m.outputs[(int) m.outputsSeen] = out;
    } else {
      long j = random.nextLong(m.outputsSeen + 1);
      if (j < SAMPLES) {
        m.outputs[(int) j] = out;
      }
    }
    m.outputsSeen++;
    if (r.estimate() != null) {
      Estimate e = r.estimate();
      long media = e.input().image() + e.input().audio() + e.input().video() + e.input().document();
      long billedText = u.inputTokens() - Math.min(u.inputTokens(), media) - e.toolTokens();
      long raw = e.rawTextTokens();
      long msgs = e.messages();
      if (r.line() % 5 == 0) {
        if (m.heldOut.size() < SAMPLES) {
          m.heldOut.add(new long[] {raw, msgs, e.toolTokens() + media, u.inputTokens(), e.input().total()});
        }
      } else {
        m.calls++;
        m.srr += (double) raw * raw;
        m.srm += (double) raw * msgs;
        m.smm += (double) msgs * msgs;
        m.sry += (double) raw * billedText;
        m.smy += (double) msgs * billedText;
        m.addPoint(raw, msgs, billedText, random);
      }
    }
    if (r.reported() != null && r.cost() != null && r.cost().tariff() != null
        && r.reported().currency().equals(r.cost().total().currency())) {
      tariffCheck(r);
    }
  }

  private void tariffCheck(Reconciliation r) {
    var cost = r.cost();
    TariffStats t = tariffs.computeIfAbsent(r.model() + " @ " + cost.tariff().provider() + " from "
        + cost.tariff().effectiveFrom(), k -> new TariffStats());
    t.withReported++;
    BigDecimal reported = r.reported().amount();
    BigDecimal total = cost.total().amount();
    boolean ok = r.flags().stream().noneMatch(f -> f.code().equals(Flag.REPORTED_COST_MISMATCH));
    if (ok) {
      t.explained++;
    }
    for (CostLine l : cost.lines()) {
      t.rates.putIfAbsent(kind(l.billedAs()), rate(l));
    }
    CostLine image = cost.lines().stream().filter(l -> l.component().equals(ChargeKind.INPUT_IMAGE.jsonName()))
        .findFirst().orElse(null);
    Usage u = r.usage();
    if (image != null && u.media().images() != null) {
      t.withImages++;
      Rate rate = rate(image);
      BigDecimal other;
      if (rate.unit() == RateUnit.TOKEN) {
        t.otherImageUnit = "per " + rate.per() + " images";
        other = rate.amountFor(u.media().images());
      } else {
        t.otherImageUnit = "per " + rate.per() + " tokens";
        other = rate.amountFor(image.tokens());
      }
      BigDecimal alt = total.subtract(image.amount()).add(other);
      if (within(reported, alt, cost.total().currency().getDefaultFractionDigits())) {
        t.explainedOtherImageUnit++;
      }
    }
    if (!ok) {
      for (CostLine l : cost.lines()) {
        if (l.quantity().signum() == 0) {
          continue;
        }
        BigDecimal implied = reported.subtract(total.subtract(l.amount())).multiply(l.per())
            .divide(l.quantity(), MC);
        List<BigDecimal> list = t.implied.computeIfAbsent(kind(l.component()), k -> new ArrayList<>());
        if (list.size() < 10_000) {
          list.add(implied);
        }
      }
    }
  }

  /** A tariff table's line's charge kind (a table's cost names only kinds). */
  private static ChargeKind kind(String component) {
    return ChargeKind.fromJsonName(component).orElseThrow(() -> new IllegalStateException("not a charge kind: "
        + component));
  }

  /** A tariff table's line's rate. */
  private static Rate rate(CostLine l) {
    return new Rate(l.price(), l.per().longValueExact(), RateUnit.fromJsonName(l.unit()).orElseThrow());
  }

  static boolean within(BigDecimal a, BigDecimal b, int fractionDigits) {
    BigDecimal d = a.subtract(b).abs();
    return d.compareTo(BigDecimal.ONE.movePointLeft(Math.max(0, fractionDigits))) <= 0
        || d.compareTo(b.abs().divide(BigDecimal.valueOf(100))) <= 0;
  }

  /** The calibration learned, for models with at least {@code minCalls} fitted calls. */
  Calibration calibration(long minCalls) {
    Map<String, Calibration.Model> out = new TreeMap<>();
    models.forEach((name, m) -> {
      if (m.calls < minCalls || m.outputsSeen == 0) {
        return;
      }
      double[] fit = robustFit(m);
      int n = (int) Math.min(m.outputsSeen, SAMPLES);
      int[] o = Arrays.copyOf(m.outputs, n);
      Arrays.sort(o);
      out.put(name, new Calibration.Model(m.calls,
          BigDecimal.valueOf(fit[0]).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros(),
          BigDecimal.valueOf(fit[1]).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros(),
          o[(int) Math.min(n - 1, Math.floor(0.50 * n))], o[(int) Math.min(n - 1, Math.floor(0.95 * n))],
          bound(m, fit)));
    });
    return Calibration.of(out);
  }

  /**
   * The largest relative error of the calibrated text count over the held-out calls (which the fit
   * did not see), rounded up to a hundredth; null without any. The estimate's maximum multiplies the
   * text by one plus it, so that "at most" holds for every call seen.
   */
  static BigDecimal bound(ModelStats m, double[] fit) {
    double worst = -1;
    for (long[] h : m.heldOut) {
      double billedText = h[3] - h[2];
      double calibrated = fit[0] * h[0] + fit[1] * h[1];
      if (calibrated <= 0 || billedText < 0) {
        continue;
      }
      worst = Math.max(worst, Math.abs(billedText - calibrated) / calibrated);
    }
    return worst < 0 ? null : BigDecimal.valueOf(worst).setScale(2, RoundingMode.CEILING).stripTrailingZeros();
  }

  /**
   * The calibration of the models with at least {@code minCalls} fitted calls whose calibrated
   * count does better on the held-out calls than the estimate without it; every other model
   * refused, saying why.
   */
  Summary.CalibrationOutcome calibrate(long minCalls) {
    Calibration all = calibration(1);
    List<Summary.CalibrationCheck> checks = heldOutError(all);
    Map<String, String> refused = new TreeMap<>();
    Map<String, Calibration.Model> kept = new TreeMap<>();
    models.forEach((name, m) -> {
      var c = all.find(name);
      if (m.calls < minCalls) {
        refused.put(name, String.format(java.util.Locale.ROOT, "%,d %s with a request and a usage to fit; a"
            + " calibration needs at least %,d", m.calls, m.calls == 1 ? "call" : "calls", minCalls));
        return;
      }
      if (c.isEmpty()) {
        refused.put(name, "no output was seen");
        return;
      }
      var check = checks.stream().filter(k -> k.model().equals(name)).findFirst();
      if (check.isEmpty()) {
        refused.put(name, "no held-out call to check it on (every fifth line is held out)");
        return;
      }
      if (check.get().errorAfterPercent() > check.get().errorBeforePercent()) {
        refused.put(name, String.format(java.util.Locale.ROOT, "worse than the defaults on %,d held-out calls: input"
            + " error %.2f%% with it against %.2f%% without", check.get().heldOutCalls(),
            check.get().errorAfterPercent(), check.get().errorBeforePercent()));
        return;
      }
      kept.put(name, c.get());
    });
    Calibration accepted = Calibration.of(kept);
    return new Summary.CalibrationOutcome(accepted,
        checks.stream().filter(k -> kept.containsKey(k.model())).toList(), refused);
  }

  /**
   * Least squares over all fitted calls, then again over the sampled calls whose relative residual
   * lies within three robust deviations (1.4826 × the median absolute deviation, at least 1%) of
   * the median: a few outliers (a retried call billed twice, a cached prompt) do not move the fit.
   */
  static double[] robustFit(ModelStats m) {
    double[] fit = fit(m);
    int n = m.pointCount;
    if (n < 3) {
      return fit;
    }
    for (int round = 0; round < 2; round++) {
      double[] rel = new double[n];
      for (int i = 0; i < n; i++) {
        rel[i] = residual(m, i, fit);
      }
      double[] sorted = rel.clone();
      Arrays.sort(sorted);
      double median = sorted[n / 2];
      double[] dev = new double[n];
      for (int i = 0; i < n; i++) {
        dev[i] = Math.abs(rel[i] - median);
      }
      Arrays.sort(dev);
      double limit = Math.max(3 * 1.4826 * dev[n / 2], 0.01);
      Sums kept = new Sums();
      for (int i = 0; i < n; i++) {
        if (Math.abs(rel[i] - median) <= limit) {
          double raw = m.points[3 * i];
          double msgs = m.points[3 * i + 1];
          double y = m.points[3 * i + 2];
          kept.srr += raw * raw;
          kept.srm += raw * msgs;
          kept.smm += msgs * msgs;
          kept.sry += raw * y;
          kept.smy += msgs * y;
          kept.calls++;
        }
      }
      if (kept.calls == n || kept.calls < 3) {
        break;
      }
      fit = fit(kept);
    }
    return fit;
  }

  private static double residual(ModelStats m, int i, double[] fit) {
    double predicted = fit[0] * m.points[3 * i] + fit[1] * m.points[3 * i + 1];
    return (m.points[3 * i + 2] - predicted) / Math.max(1, Math.abs(predicted));
  }

  /** Least squares for (ratio, overhead), both kept non-negative; {1, 0} without data. */
  static double[] fit(Sums m) {
    double det = m.srr * m.smm - m.srm * m.srm;
    double ratio;
    double overhead;
    if (m.srr > 0 && Math.abs(det) > 1e-9 * m.srr * Math.max(1, m.smm)) {
      ratio = (m.sry * m.smm - m.smy * m.srm) / det;
      overhead = (m.srr * m.smy - m.srm * m.sry) / det;
    } else {
      ratio = m.srr > 0 ? m.sry / m.srr : 1;
      overhead = 0;
    }
    if (overhead < 0 && m.srr > 0) {
      overhead = 0;
      ratio = m.sry / m.srr;
    }
    if (!(ratio > 0)) {
      ratio = 1;
    }
    return new double[] {ratio, Math.max(0, overhead)};
  }

  /** Per model: held-out calls, and the mean absolute error of the input estimate before and after. */
  List<Summary.CalibrationCheck> heldOutError(Calibration learned) {
    List<Summary.CalibrationCheck> out = new ArrayList<>();
    models.forEach((name, m) -> {
      var c = learned.find(name);
      if (c.isEmpty() || m.heldOut.isEmpty()) {
        return;
      }
      double ratio = c.get().textRatio().doubleValue();
      double overhead = c.get().messageOverhead().doubleValue();
      double before = 0;
      double after = 0;
      int n = 0;
      for (long[] h : m.heldOut) {
        if (h[3] == 0) {
          continue;
        }
        double calibrated = Math.ceil(ratio * h[0] + overhead * h[1]) + h[2];
        before += Math.abs(h[4] - h[3]) / (double) h[3];
        after += Math.abs(calibrated - h[3]) / h[3];
        n++;
      }
      if (n > 0) {
        out.add(new Summary.CalibrationCheck(name, n, 100 * before / n, 100 * after / n));
      }
    });
    return out;
  }

  /** What explains the providers' charges, and rates that do not fit. */
  List<TariffFinding> tariffFindings() {
    List<TariffFinding> out = new ArrayList<>();
    tariffs.forEach((name, t) -> {
      out.add(new TariffFinding.Explained(name, t.explained, t.withReported));
      if (t.withImages > 0) {
        out.add(new TariffFinding.OtherImageUnit(name, t.withImages, t.otherImageUnit, t.explainedOtherImageUnit));
      }
      t.implied.forEach((kind, list) -> {
        if (list.size() < 3) {
          return;
        }
        List<BigDecimal> sorted = new ArrayList<>(list);
        sorted.sort(null);
        BigDecimal median = sorted.get(sorted.size() / 2);
        BigDecimal q1 = sorted.get(sorted.size() / 4);
        BigDecimal q3 = sorted.get(sorted.size() * 3 / 4);
        Rate rate = t.rates.get(kind);
        if (rate == null || median.signum() <= 0) {
          return;
        }
        boolean consistent = q3.subtract(q1).compareTo(median.abs().divide(BigDecimal.valueOf(20), MC)) <= 0;
        boolean differs = median.subtract(rate.price()).abs().compareTo(rate.price().divide(BigDecimal.valueOf(100), MC)) > 0;
        if (consistent && differs) {
          out.add(new TariffFinding.RateMismatch(name, kind, list.size(), median, rate.per(), rate.unit(), rate.price()));
        }
      });
    });
    return out;
  }
}
