package dev.kopeck.pricing.tariff;

import java.util.Locale;
import java.util.Optional;

/** What a rate counts: tokens, images, seconds of media, document pages, or requests. */
public enum RateUnit {
  TOKEN("token"),
  IMAGE("image"),
  SECOND("second"),
  PAGE("page"),
  REQUEST("request");

  private final String jsonName;

  RateUnit(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  /** Accepts the singular or plural name, case-insensitively: {@code token}, {@code tokens}. */
  public static Optional<RateUnit> fromJsonName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith("s")) {
      n = n.substring(0, n.length() - 1);
    }
    for (RateUnit u : values()) {
      if (u.jsonName.equals(n)) {
        return Optional.of(u);
      }
    }
    return Optional.empty();
  }
}
