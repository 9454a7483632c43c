package dev.kopeck.tariff;

import java.util.List;
import java.util.Objects;

/**
 * The facts of a model that do not depend on price: its id and aliases, how many tokens it takes
 * in and gives out, which tokenizer counts its text, which media rules count its images and audio.
 */
public record ModelInfo(
    String id,
    List<String> aliases,
    long inputTokenLimit,
    long outputTokenLimit,
    String tokenizer,
    String mediaRules) {

  public ModelInfo {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a model id must not be blank");
    }
    aliases = List.copyOf(aliases);
    if (inputTokenLimit <= 0) {
      throw new IllegalArgumentException("inputTokenLimit must be positive: " + inputTokenLimit);
    }
    if (outputTokenLimit <= 0) {
      throw new IllegalArgumentException("outputTokenLimit must be positive: " + outputTokenLimit);
    }
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(mediaRules, "mediaRules");
  }
}
