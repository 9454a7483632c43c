/**
 * Token counting offline: text by tokenizer ({@code dev.kopeck.tokens}), images, audio, video and
 * documents from their headers ({@code dev.kopeck.tokens.media}). The vocabularies are data in
 * the {@code kopeck-vocab-*} family jars.
 */
module dev.kopeck.tokens {
  requires transitive dev.kopeck.base;
  requires com.fasterxml.jackson.core;

  exports dev.kopeck.tokens;
  exports dev.kopeck.tokens.media;
}
