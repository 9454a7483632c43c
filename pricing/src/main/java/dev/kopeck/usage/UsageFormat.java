package dev.kopeck.usage;

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
  /** Gemini's native {@code usageMetadata}. */
  GEMINI,
  /** Built in code. */
  MANUAL
}
