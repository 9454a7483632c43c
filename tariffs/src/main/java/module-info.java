/** The bundled tariff tables: JSON data that dev.kopeck.pricing loads through the TariffSource service. */
module dev.kopeck.tariffs {
  requires dev.kopeck.pricing;

  provides dev.kopeck.pricing.tariff.TariffSource with dev.kopeck.tariffs.BundledTariffs;
}
