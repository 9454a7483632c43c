/** What every Kopeck module shares: the exception for bad input from outside, strict UTF-8, the modalities. */
module dev.kopeck.base {
  exports dev.kopeck.base;
  // the names tariff tables use for the bundled tokenizers and media rules, for Kopeck's modules only
  exports dev.kopeck.base.internal to dev.kopeck.tokens, dev.kopeck.pricing, dev.kopeck.core, dev.kopeck.cli;
}
