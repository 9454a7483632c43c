package dev.kopeck.tariff;

import java.util.Map;

/**
 * A service that supplies bundled tariff tables (the {@code kopeck-pricing} module provides one).
 * {@link TariffCatalog#bundled()} loads every source found by {@link java.util.ServiceLoader}.
 */
public interface TariffSource {
  /** Each table's name, used in error messages, and its JSON text, in the order to load them. */
  Map<String, String> tables();
}
