package dev.kopeck.pricing.usage;

import dev.kopeck.pricing.usage.internal.UsageReader;

/**
 * Reads what providers return into a {@link Usage}: a whole response or a bare usage object, in
 * OpenAI-compatible or Gemini shape, or a streamed response saved as server-sent events (the usage
 * of the last chunk that carries one; stream chunks report running totals, so they are never summed).
 *
 * <p>It takes the body as text and parses it itself, with exact decimals and duplicate keys
 * refused: a tree parsed by another JSON library may already have turned a cost into a
 * {@code double}. Every problem is a {@link UsageException} naming the JSON path (or the line of an
 * event stream): malformed JSON, a negative or fractional count, a part larger than its whole
 * ({@code cached_tokens} over {@code prompt_tokens}), no usage at all.
 */
public final class UsageParser {
  private UsageParser() {}

  /** Parses JSON or an event stream; {@code source} names the input in errors (a file name). */
  public static Usage parse(String source, String text) {
    return UsageReader.parse(source, text);
  }

  /**
   * Parses as {@link #parse(String, String)}, and refuses a usage of another shape than the one the
   * caller knows it is: a body that is not the API it was said to be is an error, not a figure. A
   * usage of only {@code input_tokens} and {@code output_tokens}, which Anthropic's Messages API and
   * OpenAI's Responses API both write, is either.
   *
   * @throws UsageException naming the shape found, and what marks it
   */
  public static Usage parse(String source, String text, UsageFormat expected) {
    Usage u = parse(source, text);
    if (u.format() == expected) {
      return u;
    }
    if (expected == UsageFormat.ANTHROPIC && u.format() == UsageFormat.OPENAI_RESPONSES && u.cacheReadTokens() == 0
        && u.cacheWriteTokens() == 0 && u.reasoningTokens() == 0) {
      return new Usage(expected, u.inputTokens(), 0, 0, u.toolUsePromptTokens(), u.inputByModality(),
          u.cacheReadByModality(), u.modalitiesReported(), u.outputTokens(), 0, u.outputAudioTokens(),
          u.outputImageTokens(), u.acceptedPredictionTokens(), u.rejectedPredictionTokens(), u.reportedTotalTokens(),
          u.reportedCost(), u.upstreamCost(), u.byok(), u.model(), u.created(), u.media(), u.webSearches(),
          u.citationTokens(), u.serviceTier());
    }
    throw new UsageException(source, null, "expected a usage of " + describe(expected) + ", found one of "
        + describe(u.format()));
  }

  private static String describe(UsageFormat f) {
    return switch (f) {
      case OPENAI -> "OpenAI's chat completions shape (prompt_tokens, completion_tokens)";
      case OPENAI_RESPONSES -> "OpenAI's Responses shape (input_tokens, output_tokens, input_tokens_details)";
      case ANTHROPIC -> "Anthropic's Messages shape (input_tokens, cache_creation_input_tokens, "
          + "cache_read_input_tokens)";
      case BEDROCK -> "Bedrock's Converse shape (inputTokens, outputTokens)";
      case COHERE -> "Cohere's shape (billed_units)";
      case GEMINI -> "Gemini's shape (usageMetadata)";
      case OPENAI_REALTIME -> "OpenAI's Realtime shape (input_token_details, output_token_details)";
      case MISTRAL_OCR -> "Mistral's OCR shape (usage_info.pages_processed)";
      case MANUAL -> "a usage built in code";
    };
  }
}
