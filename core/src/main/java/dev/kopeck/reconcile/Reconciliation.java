package dev.kopeck.reconcile;

import dev.kopeck.cost.Cost;
import dev.kopeck.estimate.Estimate;
import dev.kopeck.money.Money;
import dev.kopeck.usage.Usage;
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
 * @param cost the tariff's price of the usage; null when the usage is missing
 * @param reported the provider's own charge, or null when it gave none
 * @param reportedMinusTariff the provider's charge less the tariff's cost, when both exist, else null
 */
public record Reconciliation(
    String id,
    long line,
    String model,
    Instant when,
    Estimate estimate,
    Usage usage,
    Cost cost,
    Money reported,
    Money reportedMinusTariff,
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
