/**
 * The bundled vocabularies (resources under META-INF/kopeck/vocab/, read by dev.kopeck.core).
 * This module holds data only.
 */
module dev.kopeck.vocab {
  requires dev.kopeck.core;
}
