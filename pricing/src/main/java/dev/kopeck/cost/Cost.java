package dev.kopeck.cost;

import dev.kopeck.money.Money;
import dev.kopeck.tariff.Tariff;
import java.util.List;
import java.util.Objects;

/** The price of one usage under one tariff: the lines and their exact sum. */
public record Cost(Tariff tariff, List<CostLine> lines, Money total) {
  public Cost {
    Objects.requireNonNull(tariff, "tariff");
    lines = List.copyOf(lines);
    Objects.requireNonNull(total, "total");
  }
}
