package dev.kopeck.core.reconcile;

import dev.kopeck.core.estimate.Calibration;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The totals of a reconciled log: records and errors, actual (tariff), estimated (expected) and
 * reported totals, exact, per currency; breakdowns per model and per day (UTC); the flagged calls;
 * and what was learned. Amounts of different currencies are never added together.
 */
public final class Summary {
  /**
   * Totals of a group of calls. The amounts are exact sums per currency (sorted by code), never
   * added across currencies.
   *
   * @param actual the tariff's cost of the calls with a usage
   * @param estimated the expected cost of the calls with a request
   * @param reported the providers' own charges, where they gave one
   */
  public record Totals(long records, long flagged, long inputTokens, long outputTokens,
      Map<Currency, BigDecimal> actual, Map<Currency, BigDecimal> estimated, Map<Currency, BigDecimal> reported) {
    public Totals {
      actual = sorted(actual);
      estimated = sorted(estimated);
      reported = sorted(reported);
    }

    private static Map<Currency, BigDecimal> sorted(Map<Currency, BigDecimal> m) {
      Map<Currency, BigDecimal> t = new TreeMap<>(Comparator.comparing(Currency::getCurrencyCode));
      t.putAll(m);
      return Collections.unmodifiableMap(t);
    }
  }

  /** The running totals of a group, while the log is read. */
  static final class Tally {
    long records;
    long flagged;
    long inputTokens;
    long outputTokens;
    final Map<Currency, BigDecimal> actual = new HashMap<>();
    final Map<Currency, BigDecimal> estimated = new HashMap<>();
    final Map<Currency, BigDecimal> reported = new HashMap<>();

    void add(Reconciliation r) {
      records++;
      if (r.flagged()) {
        flagged++;
      }
      if (r.usage() != null) {
        inputTokens += r.usage().inputTokens();
        outputTokens += r.usage().outputTokens();
      }
      if (r.price() != null) {
        actual.merge(r.price().currency(), r.price().amount(), BigDecimal::add);
      }
      if (r.estimate() != null) {
        estimated.merge(r.estimate().costExpected().currency(), r.estimate().costExpected().amount(), BigDecimal::add);
      }
      if (r.reported() != null) {
        reported.merge(r.reported().currency(), r.reported().amount(), BigDecimal::add);
      }
    }

    Totals totals() {
      return new Totals(records, flagged, inputTokens, outputTokens, actual, estimated, reported);
    }
  }

  /**
   * How well the estimate does on the held-out calls of one model, before and after a calibration.
   *
   * @param heldOutCalls calls kept out of the fit (every fifth with a request and a usage)
   * @param errorBeforePercent the mean absolute error of the input estimate without the calibration, in %
   * @param errorAfterPercent the same with it
   */
  public record CalibrationCheck(String model, long heldOutCalls, double errorBeforePercent, double errorAfterPercent) {}

  /**
   * A calibration with its guard applied: the models it calibrates, how each does on its held-out
   * calls, and the models refused with the reason (too few calls, none held out, worse than the
   * defaults).
   */
  public record CalibrationOutcome(Calibration calibration, List<CalibrationCheck> checks, Map<String, String> refused) {
    public CalibrationOutcome {
      checks = List.copyOf(checks);
      refused = Collections.unmodifiableMap(new TreeMap<>(refused));
    }
  }

  /** The fewest fitted calls (with a request and a usage) a model's calibration is learned from by default. */
  public static final int MIN_CALIBRATION_CALLS = 30;

  /** A flagged call: where it is and why. */
  public record Flagged(String id, long line, List<Flag> flags) {}

  /** A line that could not be reconciled, as the error callback of {@link LogReconciler#run} hears of it. */
  public record LineError(long line, String message) {}

  /** How many flagged calls a summary keeps in memory; the rest are counted. */
  public static final int MAX_LISTED = 1_000;

  final Tally all = new Tally();
  final Map<String, Tally> byModel = new TreeMap<>();
  final Map<String, Tally> byDay = new TreeMap<>();
  final List<Flagged> flagged = new ArrayList<>();
  long flaggedNotListed;
  long errorCount;
  long lines;
  final Learner learner = new Learner();

  Summary() {}

  void add(Reconciliation r) {
    all.add(r);
    byModel.computeIfAbsent(r.model(), k -> new Tally()).add(r);
    String day = r.when() != null ? LocalDate.ofInstant(r.when(), ZoneOffset.UTC).toString() : "unknown";
    byDay.computeIfAbsent(day, k -> new Tally()).add(r);
    if (r.flagged()) {
      if (flagged.size() < MAX_LISTED) {
        flagged.add(new Flagged(r.id(), r.line(), r.flags()));
      } else {
        flaggedNotListed++;
      }
    }
    learner.add(r);
  }

  /** A line that could not be reconciled: counted here; the error callback of {@link LogReconciler#run} has each. */
  void error(long line, String message) {
    errorCount++;
  }

  public long records() {
    return all.records;
  }

  public long errors() {
    return errorCount;
  }

  public long lines() {
    return lines;
  }

  public Totals total() {
    return all.totals();
  }

  /** Totals per model, by model id. */
  public Map<String, Totals> byModel() {
    return snapshot(byModel);
  }

  /** Totals per UTC day ({@code 2025-03-01}, or {@code unknown} for calls without a time). */
  public Map<String, Totals> byDay() {
    return snapshot(byDay);
  }

  private static Map<String, Totals> snapshot(Map<String, Tally> m) {
    Map<String, Totals> out = new TreeMap<>();
    m.forEach((k, t) -> out.put(k, t.totals()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * The first {@link #MAX_LISTED} flagged calls (the rest are counted in {@link #flaggedNotListed()};
   * to keep every one, take them from the per-call callback of {@link LogReconciler#run}).
   */
  public List<Flagged> flagged() {
    return List.copyOf(flagged);
  }

  public long flaggedNotListed() {
    return flaggedNotListed;
  }

  /**
   * The calibration learned, guarded: only models with at least {@code minCalls} fitted calls
   * ({@link #MIN_CALIBRATION_CALLS} is the command's default), fitted robustly, and only where it
   * does better than the defaults on the held-out calls; the others are refused, saying why.
   */
  public CalibrationOutcome calibrate(long minCalls) {
    if (minCalls < 1) {
      throw new IllegalArgumentException("minCalls must be at least 1: " + minCalls);
    }
    return learner.calibrate(minCalls);
  }

  /**
   * The calibration learned from models with at least {@code minCalls} calls with a request and a
   * usage, unguarded: {@link #calibrate} refuses one worse than the defaults.
   */
  public Calibration calibration(long minCalls) {
    return learner.calibration(minCalls);
  }

  /** Per model that {@code learned} calibrates and that has held-out calls, by model id. */
  public List<CalibrationCheck> calibrationCheck(Calibration learned) {
    return learner.heldOutError(learned);
  }

  /** What explains the providers' charges, and rates that do not fit, per tariff. */
  public List<TariffFinding> tariffFindings() {
    return learner.tariffFindings();
  }
}
