/** Exact money, the tariff model and catalogs, normalized usage and pricing. */
module dev.kopeck.pricing {
  requires transitive dev.kopeck.base;
  requires transitive com.fasterxml.jackson.databind;
  requires java.net.http; // kopeck catalog update, when the user asks

  exports dev.kopeck.money;
  exports dev.kopeck.tariff;
  exports dev.kopeck.usage;
  exports dev.kopeck.cost;
  exports dev.kopeck.catalog;
  // the JSON reading helpers (paths in every error), for Kopeck's own modules only
  exports dev.kopeck.json to dev.kopeck.core, dev.kopeck.cli;
  exports dev.kopeck.usage.internal to dev.kopeck.core, dev.kopeck.cli;

  uses dev.kopeck.tariff.TariffSource;
}
