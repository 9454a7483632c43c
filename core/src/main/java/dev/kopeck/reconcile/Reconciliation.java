package dev.kopeck.reconcile;

import dev.kopeck.cost.Cost;
import dev.kopeck.estimate.Estimate;
import dev.kopeck.money.Money;
import dev.kopeck.usage.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One call reconciled: its estimate (when the request is known) beside its actual usage, the cost
 * under the tariff, the provider's own charge and the difference, and flags with reasons.
 *
 * @param usage the usage as priced: with image/audio tokens attributed from the estimate when the
 *     provider gave no breakdown (then {@code notes} says so)
 * @param cost the tariff's price of the usage; empty when the usage is missing
 * @param reportedMinusTariff the provider's charge less the tariff's cost, when both exist
 */
public record Reconciliation(
    String id,
    long line,
    String model,
    Optional<Instant> when,
    Optional<Estimate> estimate,
    Optional<Usage> usage,
    Optional<Cost> cost,
    Optional<Money> reported,
    Optional<Money> reportedMinusTariff,
    List<Flag> flags,
    List<String> notes) {

  public Reconciliation {
    flags = List.copyOf(flags);
    notes = List.copyOf(notes);
  }

  public boolean flagged() {
    return !flags.isEmpty();
  }
}
