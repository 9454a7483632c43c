/** Kopeck's guarded calls as OpenTelemetry spans and metrics, by the GenAI semantic conventions. */
module dev.kopeck.opentelemetry {
  requires transitive dev.kopeck.core;
  requires transitive io.opentelemetry.api;
  requires io.opentelemetry.context;

  exports dev.kopeck.opentelemetry;
}
