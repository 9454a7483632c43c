package dev.kopeck.base.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The names that tariff tables use for what the counters ship: the bundled tokenizers and media
 * rules. One list, read by the counters (kopeck-tokens) and checked when a table loads
 * (kopeck-pricing), which does not depend on the counters.
 */
public final class Names {
  private Names() {}

  /**
   * A bundled tokenizer: its id, whether it is one of OpenAI's encodings, and the vocabulary family
   * (the artifact {@code dev.kopeck:kopeck-vocab-FAMILY}) whose jar holds its vocabulary.
   */
  public enum Tokenizer {
    GEMMA3("gemma3", false, "gemma"),
    GEMMA("gemma", false, "gemma"),
    O200K_BASE("o200k_base", true, "openai"),
    CL100K_BASE("cl100k_base", true, "openai"),
    P50K_BASE("p50k_base", true, "openai"),
    R50K_BASE("r50k_base", true, "openai"),
    O200K_HARMONY("o200k_harmony", false, "openai"),
    LLAMA3("llama3", false, "llama"),
    QWEN3("qwen3", false, "qwen"),
    DEEPSEEK_V3("deepseek_v3", false, "deepseek");

    public final String id;
    /** OpenAI's chat format adds tokens per message, and OpenAI's models tile images. */
    public final boolean openAi;
    /** The Maven artifact whose jar holds the vocabulary: {@code kopeck-vocab-openai}. */
    public final String artifact;

    Tokenizer(String id, boolean openAi, String family) {
      this.id = id;
      this.openAi = openAi;
      this.artifact = "kopeck-vocab-" + family;
    }

    /** The tokenizer with this id (any case, spaces around ignored), or null. */
    public static Tokenizer of(String id) {
      String k = id.trim().toLowerCase(Locale.ROOT);
      for (Tokenizer t : values()) {
        if (t.id.equals(k)) {
          return t;
        }
      }
      return null;
    }

    public static List<String> ids() {
      return Arrays.stream(values()).map(t -> t.id).toList();
    }
  }

  /** The media rules' ids. */
  public static final List<String> MEDIA_RULES = List.of("gemini-2.0", "openai-tiles", "openai-tiles-4o-mini",
      "openai-tiles-o", "openai-patches-1.62", "openai-patches-2.46", "openai-patches-1.72", "anthropic",
      "gemini-2.5", "gemini-3", "openai-tiles-5");

  /**
   * A model name as Kopeck's model tables match it: lower case, without a provider prefix
   * ({@code openai/}, {@code meta-llama/}) or a {@code :variant} suffix.
   */
  public static String bareModel(String model) {
    String m = model.trim().toLowerCase(Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) {
      m = m.substring(slash + 1);
    }
    int colon = m.indexOf(':');
    return colon > 0 ? m.substring(0, colon) : m;
  }
}
