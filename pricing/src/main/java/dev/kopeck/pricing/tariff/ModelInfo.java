package dev.kopeck.pricing.tariff;

import dev.kopeck.base.Modality;
import java.util.List;
import java.util.Objects;

/**
 * The facts of a model that do not depend on price: its id and aliases, how many tokens it takes
 * in and gives out, which tokenizer counts its text, which media rules count its images and audio,
 * which modalities it takes and gives.
 *
 * @param outputTokenLimit the most a reply may hold, or null when the table does not say
 * @param tokenizer the id of the tokenizer that counts its text, or null when none is open
 * @param mediaRules the id of the rules that count its media, or null when none are known
 * @param inputModalities what it takes (empty when the table does not say)
 * @param outputModalities what it gives (empty when the table does not say)
 */
public record ModelInfo(
    String id,
    List<String> aliases,
    long inputTokenLimit,
    Long outputTokenLimit,
    String tokenizer,
    String mediaRules,
    List<Modality> inputModalities,
    List<Modality> outputModalities) {

  public ModelInfo {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a model id must not be blank");
    }
    aliases = List.copyOf(aliases);
    if (inputTokenLimit <= 0) {
      throw new IllegalArgumentException("inputTokenLimit must be positive: " + inputTokenLimit);
    }
    if (outputTokenLimit != null && outputTokenLimit <= 0) {
      throw new IllegalArgumentException("outputTokenLimit must be positive: " + outputTokenLimit);
    }
    inputModalities = List.copyOf(inputModalities);
    outputModalities = List.copyOf(outputModalities);
  }
}
