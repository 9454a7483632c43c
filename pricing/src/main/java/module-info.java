/** Exact money, the tariff model and catalogs, normalized usage and pricing. */
module dev.kopeck.pricing {
  requires transitive dev.kopeck.base;
  requires transitive com.fasterxml.jackson.databind;
  requires java.net.http; // kopeck catalog update, when the user asks

  exports dev.kopeck.pricing.money;
  exports dev.kopeck.pricing.tariff;
  exports dev.kopeck.pricing.usage;
  exports dev.kopeck.pricing.cost;
  exports dev.kopeck.pricing.catalog;
  // the JSON reading helpers (paths in every error), for Kopeck's own modules only
  exports dev.kopeck.pricing.json to dev.kopeck.core, dev.kopeck.cli;
  exports dev.kopeck.pricing.usage.internal to dev.kopeck.core, dev.kopeck.cli;

  uses dev.kopeck.pricing.tariff.TariffSource;
}
