package dev.kopeck.core.estimate;

import dev.kopeck.core.estimate.internal.ChatRequestReader;

/**
 * Reads a chat request: OpenAI-compatible ({@code model}, {@code messages}, {@code tools} or
 * {@code functions}, {@code response_format}, {@code max_tokens} / {@code max_completion_tokens},
 * {@code n}) or Gemini's native shape ({@code contents}, {@code systemInstruction}, {@code tools},
 * {@code generationConfig}). It takes the JSON text and parses it itself (exact numbers, duplicate
 * keys refused). A malformed request is an {@link dev.kopeck.base.InputException} with the JSON path.
 */
public final class ChatRequestParser {
  private ChatRequestParser() {}

  /** Parses a request; {@code source} names it in errors (a file name). */
  public static ChatRequest parse(String source, String json) {
    return ChatRequestReader.parse(source, json);
  }
}
