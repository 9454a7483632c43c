/** The bundled tariff tables: JSON data that core loads through the TariffSource service. */
module dev.kopeck.pricing {
  requires dev.kopeck.core;

  provides dev.kopeck.tariff.TariffSource with dev.kopeck.pricing.BundledTariffs;
}
