/**
 * Data only: Meta's Llama 3 vocabulary: llama3. Resources under META-INF/kopeck/vocab/, read by
 * dev.kopeck.tokens; licences in META-INF/NOTICE.
 */
module dev.kopeck.vocab.llama {
  requires dev.kopeck.vocab.unicode;
}
