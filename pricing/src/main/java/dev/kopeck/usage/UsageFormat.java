package dev.kopeck.usage;

/** Which provider shape a usage was read from. */
public enum UsageFormat {
  /** OpenAI-compatible chat completions {@code usage} (this router, OpenRouter, OpenAI). */
  OPENAI,
  /** Gemini's native {@code usageMetadata}. */
  GEMINI,
  /** Built in code. */
  MANUAL
}
