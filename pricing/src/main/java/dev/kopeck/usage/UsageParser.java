package dev.kopeck.usage;

import dev.kopeck.usage.internal.UsageReader;

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
}
