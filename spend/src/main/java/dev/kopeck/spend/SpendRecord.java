package dev.kopeck.spend;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One thing a budget guard did with a call: it reserved the call's worst case, refused it, committed
 * its cost, released its reservation, could not commit, or saw its reservation expire (neither
 * committed nor released within the reservation's time to live: the ledger gave its money back). A request has at most one record of each
 * event; a store keeps the first it gets (a retried write adds nothing).
 *
 * @param scopes the scopes the call was charged to (known from its reserve; empty when the log did
 *     not see it)
 * @param reservedNanos the worst case reserved, in nano-units of the budget's currency
 * @param cost what the call cost by its tariff (commit), in {@code currency}; null otherwise
 * @param costNanos the amount committed to the budget, in its nano-units
 * @param usageEstimated the usage was Kopeck's estimate (a stream that ended without one)
 * @param reason why a call was refused, released or not committed
 * @param tariff the tariff a commit was priced with: {@code provider model from effective-date}, or
 *     {@code catalog provider model} for the catalog of public prices; null otherwise
 * @param estimatedInputTokens the pre-flight estimate of the input a commit's usage reports, -1
 *     when there was none (the catalog counts no tokens) or for other events
 */
public record SpendRecord(
    String requestId,
    Event event,
    Instant at,
    List<String> scopes,
    String model,
    String provider,
    String currency,
    BigDecimal cost,
    long reservedNanos,
    long costNanos,
    long overspendNanos,
    boolean late,
    boolean usageEstimated,
    long inputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long outputTokens,
    long reasoningTokens,
    String reason,
    String tariff,
    long estimatedInputTokens) {

  /** What the guard did. */
  public enum Event { RESERVE, REFUSE, COMMIT, RELEASE, COMMIT_FAILED, EXPIRE }

  /** A record without a tariff: anything but a commit. */
  public SpendRecord(String requestId, Event event, Instant at, List<String> scopes, String model, String provider,
      String currency, BigDecimal cost, long reservedNanos, long costNanos, long overspendNanos, boolean late,
      boolean usageEstimated, long inputTokens, long cacheReadTokens, long cacheWriteTokens, long outputTokens,
      long reasoningTokens, String reason) {
    this(requestId, event, at, scopes, model, provider, currency, cost, reservedNanos, costNanos, overspendNanos, late,
        usageEstimated, inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens, reason, null, -1);
  }

  public SpendRecord {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(at, "at");
    scopes = List.copyOf(scopes);
  }
}
