package dev.kopeck.pricing.usage;

/** Which provider shape a usage was read from. */
public enum UsageFormat {
  /** OpenAI-compatible chat completions {@code usage} (this router, OpenRouter, OpenAI, Mistral, Groq, LiteLLM). */
  OPENAI,
  /** OpenAI's Responses API {@code usage} ({@code input_tokens}, {@code input_tokens_details}). */
  OPENAI_RESPONSES,
  /** Anthropic's Messages API {@code usage}, whose {@code input_tokens} leaves out cache reads and writes. */
  ANTHROPIC,
  /** AWS Bedrock's Converse API {@code usage} ({@code inputTokens}, {@code cacheReadInputTokens}). */
  BEDROCK,
  /** Cohere's {@code billed_units}. */
  COHERE,
  /**
   * OpenAI's Realtime API {@code usage} ({@code input_token_details}, {@code output_token_details}),
   * as a {@code response.done} event carries it; xAI's voice API answers in it too.
   */
  OPENAI_REALTIME,
  /** Mistral's OCR {@code usage_info}: pages, no tokens. */
  MISTRAL_OCR,
  /** Gemini's native {@code usageMetadata}. */
  GEMINI,
  /** Built in code. */
  MANUAL
}
