package dev.kopeck.pricing.tariff;

import java.util.Map;

/**
 * A service that supplies bundled tariff tables and catalogs (the {@code kopeck-tariffs} module
 * provides one). {@link TariffTables#bundled()} and {@code Catalog.bundled()} load what every source
 * found by {@link java.util.ServiceLoader} gives.
 */
public interface TariffSource {
  /** Each table's name, used in error messages, and its JSON text, in the order to load them. */
  Map<String, String> tables();

  /** Each catalog's name and its JSON text (the format of {@code dev.kopeck.pricing.catalog.Catalog}); none by default. */
  default Map<String, String> catalogs() {
    return Map.of();
  }
}
