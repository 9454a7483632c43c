/** Kopeck's metrics for Micrometer. */
module dev.kopeck.micrometer {
  requires transitive dev.kopeck.core;
  requires transitive micrometer.core;

  exports dev.kopeck.micrometer;
}
