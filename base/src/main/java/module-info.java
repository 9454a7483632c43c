/** What every Kopeck module shares: the exception for bad input from outside, strict UTF-8, the modalities. */
module dev.kopeck.base {
  exports dev.kopeck.base;
}
