/**
 * Every bundled vocabulary: the families' modules (resources under META-INF/kopeck/vocab/, read by
 * dev.kopeck.tokens). This module holds nothing of its own.
 */
module dev.kopeck.vocab {
  requires transitive dev.kopeck.vocab.openai;
  requires transitive dev.kopeck.vocab.gemma;
  requires transitive dev.kopeck.vocab.llama;
  requires transitive dev.kopeck.vocab.qwen;
  requires transitive dev.kopeck.vocab.deepseek;
}
