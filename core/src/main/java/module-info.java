/**
 * Kopeck core: exact money, the tariff model, normalized usage, pricing and token counting.
 *
 * <p>Exported packages are the API; {@code dev.kopeck.core.internal} is not.
 */
module dev.kopeck.core {
  requires transitive com.fasterxml.jackson.databind;
  requires jtokkit;

  exports dev.kopeck.core;
  exports dev.kopeck.money;
  exports dev.kopeck.tariff;
  exports dev.kopeck.usage;
  exports dev.kopeck.cost;
  exports dev.kopeck.tokens;
  exports dev.kopeck.media;
  exports dev.kopeck.estimate;
  exports dev.kopeck.reconcile;
  exports dev.kopeck.budget;

  uses dev.kopeck.tariff.TariffSource;
}
