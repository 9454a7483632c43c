/**
 * Data only: Qwen's vocabulary: qwen3. Resources under META-INF/kopeck/vocab/, read by
 * dev.kopeck.tokens; licences in META-INF/NOTICE.
 */
module dev.kopeck.vocab.qwen {
  requires dev.kopeck.vocab.unicode;
}
