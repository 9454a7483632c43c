/**
 * Data only: DeepSeek V3's vocabulary: deepseek_v3. Resources under META-INF/kopeck/vocab/, read by
 * dev.kopeck.tokens; licences in META-INF/NOTICE.
 */
module dev.kopeck.vocab.deepseek {
  requires dev.kopeck.vocab.unicode;
}
