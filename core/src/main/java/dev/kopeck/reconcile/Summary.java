package dev.kopeck.reconcile;

import dev.kopeck.estimate.Calibration;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The totals of a reconciled log: records and errors, actual (tariff), estimated (expected) and
 * reported totals, exact, per currency; breakdowns per model and per day (UTC); the flagged calls;
 * and what was learned. Amounts of different currencies are never added together.
 */
public final class Summary {
  /** Totals of a group of calls. */
  public static final class Totals {
    long records;
    long flagged;
    long inputTokens;
    long outputTokens;
    final Map<Currency, BigDecimal> actual = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));
    final Map<Currency, BigDecimal> estimated = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));
    final Map<Currency, BigDecimal> reported = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));

    void add(Reconciliation r) {
      records++;
      if (r.flagged()) {
        flagged++;
      }
      r.usage().ifPresent(u -> {
        inputTokens += u.inputTokens();
        outputTokens += u.outputTokens();
      });
      r.cost().ifPresent(c -> actual.merge(c.total().currency(), c.total().amount(), BigDecimal::add));
      r.estimate().ifPresent(e -> estimated.merge(e.costExpected().currency(), e.costExpected().amount(), BigDecimal::add));
      r.reported().ifPresent(m -> reported.merge(m.currency(), m.amount(), BigDecimal::add));
    }

    public long records() {
      return records;
    }

    public long flagged() {
      return flagged;
    }

    public long inputTokens() {
      return inputTokens;
    }

    public long outputTokens() {
      return outputTokens;
    }

    public Map<Currency, BigDecimal> actual() {
      return actual;
    }

    public Map<Currency, BigDecimal> estimated() {
      return estimated;
    }

    public Map<Currency, BigDecimal> reported() {
      return reported;
    }
  }

  /** A flagged call: where it is and why. */
  public record Flagged(String id, long line, List<Flag> flags) {}

  /** A line that could not be reconciled. */
  public record LineError(long line, String message) {}

  /** How many flagged calls and error lines a summary keeps in memory; the rest are counted. */
  public static final int MAX_LISTED = 1_000;

  final Totals all = new Totals();
  final Map<String, Totals> byModel = new TreeMap<>();
  final Map<String, Totals> byDay = new TreeMap<>();
  final List<Flagged> flagged = new ArrayList<>();
  long flaggedNotListed;
  final List<LineError> errors = new ArrayList<>();
  long errorCount;
  long lines;
  final Learner learner = new Learner();

  void add(Reconciliation r) {
    all.add(r);
    byModel.computeIfAbsent(r.model(), k -> new Totals()).add(r);
    String day = r.when().map(w -> LocalDate.ofInstant(w, ZoneOffset.UTC).toString()).orElse("unknown");
    byDay.computeIfAbsent(day, k -> new Totals()).add(r);
    if (r.flagged()) {
      if (flagged.size() < MAX_LISTED) {
        flagged.add(new Flagged(r.id(), r.line(), r.flags()));
      } else {
        flaggedNotListed++;
      }
    }
    learner.add(r);
  }

  void error(long line, String message) {
    errorCount++;
    if (errors.size() < MAX_LISTED) {
      errors.add(new LineError(line, message));
    }
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
    return all;
  }

  public Map<String, Totals> byModel() {
    return byModel;
  }

  public Map<String, Totals> byDay() {
    return byDay;
  }

  /**
   * The first {@link #MAX_LISTED} flagged calls (the rest are counted in {@link #flaggedNotListed()};
   * to keep every one, take them from the per-call callback of {@link LogReconciler#run}).
   */
  public List<Flagged> flagged() {
    return flagged;
  }

  public long flaggedNotListed() {
    return flaggedNotListed;
  }

  /** The first {@link #MAX_LISTED} lines that could not be reconciled (all of them go to the error callback). */
  public List<LineError> lineErrors() {
    return errors;
  }

  /** The calibration learned from models with at least {@code minCalls} calls with a request and a usage. */
  public Calibration calibration(long minCalls) {
    return learner.calibration(minCalls);
  }

  /** Per model: {held-out calls, mean absolute % error of the input estimate before, after}. */
  public Map<String, double[]> calibrationCheck(Calibration learned) {
    return learner.heldOutError(learned);
  }

  /** What explains the providers' charges, and rates that do not fit. */
  public List<String> tariffFindings() {
    return learner.tariffFindings();
  }
}
