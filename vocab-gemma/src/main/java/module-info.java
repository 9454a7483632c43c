/**
 * Data only: Google's Gemma 3 and Gemma (1) vocabularies: gemma3, gemma. Resources under META-
 * INF/kopeck/vocab/, read by dev.kopeck.tokens; licences in META-INF/NOTICE.
 */
module dev.kopeck.vocab.gemma {
}
