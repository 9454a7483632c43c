/**
 * Data only: OpenAI's encodings: o200k_base, cl100k_base, p50k_base, r50k_base, and o200k_harmony (its
 * special tokens over o200k_base's ranks). Resources under META-INF/kopeck/vocab/, read by
 * dev.kopeck.tokens; licences in META-INF/NOTICE.
 */
module dev.kopeck.vocab.openai {
  requires dev.kopeck.vocab.unicode;
}
