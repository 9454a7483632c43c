package dev.kopeck.pricing.tariff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model as one provider sells it: its facts and its dated tariffs, oldest first.
 */
public record PricedModel(String provider, ModelInfo info, List<Tariff> tariffs) {
  public PricedModel {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(info, "info");
    if (tariffs.isEmpty()) {
      throw new IllegalArgumentException("model " + info.id() + " has no tariff");
    }
    List<Tariff> sorted = new ArrayList<>(tariffs);
    sorted.sort(Comparator.comparing(Tariff::effectiveFrom));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).effectiveFrom().equals(sorted.get(i - 1).effectiveFrom())) {
        throw new IllegalArgumentException(
            "model " + info.id() + " has two tariffs from " + sorted.get(i).effectiveFrom());
      }
    }
    tariffs = List.copyOf(sorted);
  }

  public String id() {
    return info.id();
  }

  /** The tariff in force at {@code when}: the latest that started at or before it. */
  public Optional<Tariff> tariffAt(Instant when) {
    Tariff found = null;
    for (Tariff t : tariffs) {
      if (!t.effectiveFrom().isAfter(when)) {
        found = t;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The newest tariff, whatever its date. */
  public Tariff latest() {
    return tariffs.get(tariffs.size() - 1);
  }
}
