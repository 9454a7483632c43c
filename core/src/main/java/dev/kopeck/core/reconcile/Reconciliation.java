package dev.kopeck.core.reconcile;

import dev.kopeck.pricing.cost.Cost;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.pricing.usage.Usage;
import java.time.Instant;
import java.util.List;

/**
 * One call reconciled: its estimate (when the request is known) beside its actual usage, the cost
 * under the tariff, the provider's own charge and the difference, and flags with reasons.
 *
 * @param when the call's time (the log's timestamp, else the response's), or null when neither says
 * @param estimate the estimate of the request, or null when the request is not known
 * @param usage the usage as priced: with image/audio tokens attributed from the estimate when the
 *     provider gave no breakdown (then {@code notes} says so); null when the response carries none
 * @param provider who bills the model, as the registry resolved it
 * @param cost the price of the usage (by a tariff table or the catalog of public prices: {@link Cost#source()});
 *     null when the usage is missing
 * @param reported the provider's own charge, or null when it gave none
 * @param reportedMinusPrice the provider's charge less the price, when both exist and can be compared, else null
 */
public record Reconciliation(
    String id,
    long line,
    String model,
    String provider,
    Instant when,
    Estimate estimate,
    Usage usage,
    Cost cost,
    Money reported,
    Money reportedMinusPrice,
    List<Flag> flags,
    List<String> notes) {

  public Reconciliation {
    flags = List.copyOf(flags);
    notes = List.copyOf(notes);
  }

  /** The price of the usage, by the tariff tables or the catalog; null when the usage is missing. */
  public Money price() {
    return cost != null ? cost.total() : null;
  }

  public boolean flagged() {
    return !flags.isEmpty();
  }
}
