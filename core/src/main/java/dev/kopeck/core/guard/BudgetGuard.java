package dev.kopeck.core.guard;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.reconcile.Reconciler;
import dev.kopeck.core.reconcile.Reconciliation;
import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.UsageParser;
import dev.kopeck.pricing.money.ExchangeRates;
import dev.kopeck.pricing.money.Money;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * Joins the pieces so a service writes three lines:
 *
 * <pre>{@code
 * Admission a = guard.admit(requestId, request, scopes);      // estimate, reserve the worst case
 * if (!a.granted()) return tooExpensive(a);
 * try { response = callModel(request); guard.complete(requestId, request, response); }   // commit the usage's cost
 * catch (Exception e) { guard.fail(requestId); throw e; }                               // or release
 * }</pre>
 *
 * Costs become nano-units rounded up (ceiling): a reservation never holds less than the cost, and a
 * commit never records less. The ledger counts nano-units of one currency: by default whatever the
 * prices are in; {@link #inCurrency} says which, and converts other currencies at rates you give.
 */
public final class BudgetGuard {
  private final Estimator estimator;
  private final Reconciler reconciler;
  private final BudgetLedger ledger;
  private final Clock clock;
  private final Currency currency;
  private final ExchangeRates rates;
  private final GuardListener listener;

  public BudgetGuard(Estimator estimator, Reconciler reconciler, BudgetLedger ledger, Clock clock) {
    this(estimator, reconciler, ledger, clock, null, ExchangeRates.none(), new GuardListener() {});
  }

  private BudgetGuard(Estimator estimator, Reconciler reconciler, BudgetLedger ledger, Clock clock, Currency currency,
      ExchangeRates rates, GuardListener listener) {
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.currency = currency;
    this.rates = Objects.requireNonNull(rates, "rates");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** The same guard, telling {@code l} of every admission, refusal, commit and release. */
  public BudgetGuard withListener(GuardListener l) {
    return new BudgetGuard(estimator, reconciler, ledger, clock, currency, rates, Objects.requireNonNull(l, "listener"));
  }

  public Estimator estimator() {
    return estimator;
  }

  /**
   * The same guard for budgets kept in {@code budgetCurrency}: a cost in another currency is
   * converted at the rate of {@code rates} in force at the call, and without one it is refused (an
   * {@link IllegalStateException}) rather than counted as if it were in the budget's currency.
   */
  public BudgetGuard inCurrency(Currency budgetCurrency, ExchangeRates rates) {
    return new BudgetGuard(estimator, reconciler, ledger, clock, Objects.requireNonNull(budgetCurrency, "currency"),
        rates, listener);
  }

  /**
   * Estimates the request and reserves its maximum cost on every scope.
   *
   * @throws IllegalStateException when a scope's budget is kept in another currency than the price
   *     (or than {@link #inCurrency}'s) and no exchange rate converts it: nothing is reserved, and the
   *     message names both currencies
   * @throws dev.kopeck.base.InputException when the request names no model (and no default is
   *     configured), or the model is unknown
   */
  public Admission admit(String requestId, ChatRequest request, List<Scope> scopes) {
    Estimate e = estimator.estimate(request);
    checkCurrencies(scopes, e.costMax().currency());
    Admission a = ledger.reserve(requestId, scopes, nanos(e.costMax()));
    if (a instanceof Admission.Reservation r) {
      tell(() -> listener.admitted(r, request));
    } else {
      tell(() -> listener.refused((Admission.Refusal) a, request));
    }
    return a;
  }

  /** A scope's recorded currency (empty when its limit records none), as looked up at {@code at}. */
  private record ScopeCurrency(Instant at, java.util.Optional<Currency> currency) {}

  /** Each scope's recorded currency, looked up at most every 30 seconds: limits rarely change currency. */
  private final java.util.concurrent.ConcurrentHashMap<Scope, ScopeCurrency> scopeCurrency =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The currency a cost is counted in ({@link #inCurrency}'s, else the price's) must be the one each
   * scope's limit was set in, where one was recorded: a budget in roubles never counts dollars.
   */
  private void checkCurrencies(List<Scope> scopes, Currency priced) {
    Currency counted = currency != null ? currency : priced;
    Instant now = clock.instant();
    for (Scope s : scopes) {
      ScopeCurrency known = scopeCurrency.get(s);
      if (known == null || known.at().plusSeconds(30).isBefore(now)) {
        if (scopeCurrency.size() > 10_000) {
          scopeCurrency.clear();
        }
        known = new ScopeCurrency(now, java.util.Optional.ofNullable(ledger.status(s).currency()));
        scopeCurrency.put(s, known);
      }
      Currency c = known.currency().orElse(null);
      if (c != null && !c.equals(counted)) {
        throw new IllegalStateException("scope " + s.name() + " keeps its budget in " + c.getCurrencyCode()
            + ", and this call is priced in " + priced.getCurrencyCode()
            + (currency != null && !currency.equals(priced) ? " and counted in " + currency.getCurrencyCode() : "")
            + ": configure the guard for " + c.getCurrencyCode() + " with exchange rates from "
            + priced.getCurrencyCode() + " (BudgetGuard.inCurrency; kopeck.budget.currency and kopeck.budget.rates in"
            + " Spring), or set the limit in " + counted.getCurrencyCode());
      }
    }
  }

  /** A listener's failure is not the call's. */
  private static void tell(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException ignored) {
      // dropped, as GuardListener says
    }
  }

  /** Nano-units of the budget's currency, rounded up. */
  private long nanos(Money cost) {
    if (currency == null || cost.currency().equals(currency)) {
      return cost.toNanos(RoundingMode.CEILING);
    }
    Instant now = clock.instant();
    ExchangeRates.Rate rate = rates.rate(cost.currency(), currency, now).orElseThrow(() -> new IllegalStateException(
        "a cost of " + cost.toPlainString() + " " + cost.currency().getCurrencyCode() + " against budgets in "
            + currency.getCurrencyCode() + ": no exchange rate is given for " + LocalDate.ofInstant(now, ZoneOffset.UTC)));
    return rate.convert(cost.amount()).toNanos(RoundingMode.CEILING);
  }

  /**
   * Commits the cost of the usage in {@code responseBody}: the response's JSON (a whole response or
   * a bare usage) or its saved event stream.
   *
   * @throws dev.kopeck.pricing.usage.UsageException if the body carries no readable usage: then release the
   *     reservation, or commit a cost known otherwise
   */
  public Commit complete(String requestId, ChatRequest request, String responseBody) {
    return complete(requestId, request, UsageParser.parse("response of " + requestId, responseBody));
  }

  /** Commits the cost of {@code usage} under the tariff in force now. */
  public Commit complete(String requestId, ChatRequest request, Usage usage) {
    return charge(requestId, request, usage, false).commit();
  }

  /**
   * Commits the cost of {@code usage} under the tariff in force now, and says what it was.
   *
   * @param usageEstimated true when {@code usage} is Kopeck's estimate, not the provider's report
   *     (a stream that ended without one): listeners are told
   * @throws RuntimeException whatever the pricing or the ledger throws; listeners are told first
   */
  public Charge charge(String requestId, ChatRequest request, Usage usage, boolean usageEstimated) {
    Objects.requireNonNull(usage, "usage");
    Charge c;
    Reconciliation r = null;
    long amount = -1;
    try {
      r = reconciler.reconcile(new Reconciler.Call(requestId, request, usage, clock.instant()));
      amount = nanos(r.price());
      c = new Charge(r, ledger.commit(requestId, amount), currency != null ? currency : r.price().currency());
    } catch (RuntimeException e) {
      // priced but not taken by the ledger: the listener hears what it cost (a log keeps it for a rebuild)
      RuntimeException told = amount < 0 ? e
          : new UncommittedCharge(r, amount, currency != null ? currency : r.price().currency(), e);
      tell(() -> listener.commitFailed(requestId, told));
      throw e;
    }
    tell(() -> listener.committed(c, usageEstimated));
    return c;
  }

  /**
   * Settles an answered call, as every integration does: commits {@code usage}, or, when the answer
   * reported none (null: a stream cut by the server, the client or a timeout), an estimate of the
   * request's input and of {@code received}, the text that arrived, flagged as estimated. Never
   * throws: the answer reaches the caller whatever happens to the ledger; a failure is told to the
   * listener ({@code commitFailed}), and the reservation holds until its time to live.
   *
   * @return the charge, or null when it could not be committed
   */
  public Charge settle(String requestId, ChatRequest request, Usage usage, CharSequence received) {
    boolean estimated = usage == null;
    Usage u;
    try {
      u = estimated ? estimateUsage(request, received) : usage;
    } catch (RuntimeException e) {
      tell(() -> listener.commitFailed(requestId, e));
      return null;
    }
    try {
      return charge(requestId, request, u, estimated);
    } catch (RuntimeException e) {
      return null; // charge told the listener
    }
  }

  /**
   * The request's estimated input, and {@code received} counted as output with the model's tokenizer,
   * never more than the request may produce (its max tokens, else the model's output limit).
   */
  private Usage estimateUsage(ChatRequest request, CharSequence received) {
    Estimate e = estimator.estimate(request);
    long out = received == null || received.length() == 0 ? 0
        : estimator.conversation(e.model()).append("assistant", received.toString()).tokens();
    return Usage.of(e.input().total(), e.outputMax() > 0 ? Math.min(out, e.outputMax()) : out);
  }

  /** Releases the reservation of a request that failed. */
  public boolean fail(String requestId) {
    return fail(requestId, "the call failed");
  }

  /**
   * Releases the reservation of a request that failed; {@code why} is told to listeners when there
   * was one to release.
   */
  public boolean fail(String requestId, String why) {
    boolean released = ledger.release(requestId);
    if (released) {
      tell(() -> listener.released(requestId, why));
    }
    return released;
  }

  public BudgetLedger ledger() {
    return ledger;
  }
}
