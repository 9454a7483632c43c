/**
 * Data only: the byte-level pre-tokenizers' Unicode classes (unicode.kuc). Resources under META-
 * INF/kopeck/vocab/, read by dev.kopeck.tokens; licences in META-INF/NOTICE.
 */
module dev.kopeck.vocab.unicode {
}
