package dev.kopeck.tokens;

import dev.kopeck.base.InputException;
import dev.kopeck.base.internal.Names;
import dev.kopeck.tokens.internal.BpeVocabulary;
import dev.kopeck.tokens.internal.Counters;

import dev.kopeck.tokens.internal.SentencePieceModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The token counters Kopeck knows, by id or by model name.
 *
 * <ul>
 *   <li>{@code gemma3}: the Gemma 3 vocabulary (262,144 pieces), which Google's current SDK uses for
 *       gemini-2.0-flash, 2.0-flash-lite and 2.5-*;
 *   <li>{@code gemma}: the Gemma 1 vocabulary (256,000), which the older Vertex SDK used;
 *   <li>{@code o200k_base}, {@code cl100k_base}: OpenAI's encodings, through JTokkit.
 * </ul>
 *
 * The Gemma vocabularies ship in the {@code kopeck-vocab} jar; nothing is downloaded at run time.
 */
public final class Tokenizers {
  private static final List<String> IDS = Names.Tokenizer.ids();

  private Tokenizers() {}

  /** The ids of the bundled tokenizers. */
  public static List<String> ids() {
    return IDS;
  }

  /**
   * Whether {@code id} is one of OpenAI's encodings: its chat format adds 3 tokens a message and 3 a
   * request, and its models tile images ({@code openai-tiles}); other families add none and follow
   * Gemini's media rules.
   */
  public static boolean isOpenAiEncoding(String id) {
    Names.Tokenizer t = Names.Tokenizer.of(id);
    return t != null && t.openAi;
  }

  /** The tokenizer with this id, if Kopeck has it. */
  public static Optional<TokenCounter> find(String id) {
    return Optional.ofNullable(Counters.byId(id));
  }

  /**
   * The tokenizer with this id.
   *
   * @throws InputException naming the id and the known ones
   */
  public static TokenCounter require(String id) {
    return find(id).orElseThrow(() -> new InputException(null, null,
        "unknown tokenizer \"" + id + "\"; known: " + String.join(", ", IDS)));
  }

  /**
   * The tokenizer a model name implies when no tariff table says: Gemini 2.x and later → gemma3,
   * Gemini 1.x → gemma; gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1/o3/o4 → o200k_base; gpt-4, gpt-3.5 and
   * the OpenAI embeddings → cl100k_base.
   */
  public static Optional<String> idForModel(String model) {
    String m = model.trim().toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    if (m.startsWith("gemini-1.")) {
      return Optional.of(Names.Tokenizer.GEMMA.id);
    }
    if (m.startsWith("gemini-") || m.startsWith("gemma-3") || m.startsWith("gemma3")) {
      return Optional.of(Names.Tokenizer.GEMMA3.id);
    }
    if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
        || m.startsWith("chatgpt-4o") || m.matches("o[134](-.*)?")) {
      return Optional.of(Names.Tokenizer.O200K_BASE.id);
    }
    if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("text-embedding-3")
        || m.equals("text-embedding-ada-002")) {
      return Optional.of(Names.Tokenizer.CL100K_BASE.id);
    }
    return Optional.empty();
  }

  /** The tokenizer a model name implies, if any (see {@link #idForModel}). */
  public static Optional<TokenCounter> forModel(String model) {
    return idForModel(model).flatMap(Tokenizers::find);
  }

  /**
   * A tokenizer from a HuggingFace {@code tokenizer.json} of the Gemma family (BPE with byte
   * fallback, spaces normalized to {@code ▁}). Other designs are refused with the JSON path of what
   * differs.
   *
   * @throws InputException if the file cannot be read or is not of that family
   */
  public static TokenCounter fromTokenizerJson(String id, Path file) {
    return fromFile(id, file, false);
  }

  /**
   * A tokenizer from a SentencePiece {@code .model} of a BPE model with Gemma's settings (whitespace
   * escaped to {@code ▁}, no dummy prefix, identity normalization). Other settings are refused with
   * the name of the field.
   *
   * @throws InputException if the file cannot be read or has other settings
   */
  public static TokenCounter fromSentencePiece(String id, Path file) {
    return fromFile(id, file, true);
  }

  /** {@link #fromSentencePiece} for a {@code .model} file, else {@link #fromTokenizerJson}. */
  public static TokenCounter fromFile(Path file) {
    String name = file.getFileName().toString();
    boolean sp = name.endsWith(".model");
    return fromFile(name.replaceFirst("\\.(model|json)$", ""), file, sp);
  }

  private static TokenCounter fromFile(String id, Path file, boolean sentencePiece) {
    try (InputStream in = Files.newInputStream(file)) {
      return Counters.bpe(id, sentencePiece ? SentencePieceModel.read(file.toString(), in)
          : BpeVocabulary.fromTokenizerJson(file.toString(), in));
    } catch (NoSuchFileException e) {
      throw new InputException(file.toString(), null, "no such file");
    } catch (IOException e) {
      throw new InputException(file.toString(), null, "cannot read: " + e.getMessage(), e);
    }
  }

}
