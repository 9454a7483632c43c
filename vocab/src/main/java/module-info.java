/**
 * The bundled vocabularies: resources under META-INF/kopeck/vocab/, read by dev.kopeck.tokens.
 * This module holds data only.
 */
module dev.kopeck.vocab {
}
