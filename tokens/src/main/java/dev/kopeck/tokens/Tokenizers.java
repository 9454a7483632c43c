package dev.kopeck.tokens;

import dev.kopeck.base.InputException;
import dev.kopeck.base.internal.Names;
import dev.kopeck.tokens.internal.BpeVocabulary;
import dev.kopeck.tokens.internal.ByteVocabulary;
import dev.kopeck.tokens.internal.Counters;

import dev.kopeck.tokens.internal.SentencePieceModel;
import java.io.ByteArrayInputStream;
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
 *   <li>{@code o200k_base}, {@code cl100k_base}, {@code p50k_base}, {@code r50k_base}: OpenAI's
 *       encodings, as tiktoken counts them;
 *   <li>{@code o200k_harmony}: gpt-oss (o200k_base plus the harmony tokens);
 *   <li>{@code llama3}: Llama 3.x; {@code qwen3}: Qwen 2.5 and 3; {@code deepseek_v3}: DeepSeek V3
 *       and R1.
 * </ul>
 *
 * The vocabularies ship by family, a jar each: {@code kopeck-vocab-openai} (OpenAI's encodings and
 * o200k_harmony), {@code -gemma}, {@code -llama}, {@code -qwen}, {@code -deepseek}, or all of them in
 * {@code kopeck-vocab}; nothing is downloaded at run time. A tokenizer whose family is not on the
 * class path throws {@link IllegalStateException} on its first use, naming the artifact to add.
 * {@link #resolve} says which one counts a model, and whether exactly.
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
   * The exact tokenizer a model name implies when no tariff table says, from the table
   * {@link #resolve} reads: Gemini 2.0 to 3 → gemma3, Gemini 1.x → gemma; gpt-4o, gpt-4.1, gpt-4.5,
   * gpt-5, o1/o3/o4 → o200k_base; gpt-4, gpt-3.5 and the OpenAI embeddings → cl100k_base; gpt-oss →
   * o200k_harmony; Llama 3.x → llama3; Qwen 2.5/3 → qwen3; DeepSeek V3/R1 → deepseek_v3. Empty for a
   * model whose tokenizer is not public.
   */
  public static Optional<String> idForModel(String model) {
    ModelTokenizer t = resolve(model);
    return t.exact() ? Optional.of(t.tokenizer()) : Optional.empty();
  }

  /**
   * Which tokenizer counts {@code model}'s text and how far to trust it: the model's own (exact), or
   * the closest open one with a ratio and an error bound (an estimate). Never empty: a model nobody
   * knows gets o200k_base with a wide bound. The table, with each row's source, is
   * {@code dev/kopeck/tokens/model-tokenizers.tsv} (docs/tokenizers.md).
   */
  public static ModelTokenizer resolve(String model) {
    String m = Names.bareModel(model);
    for (Row r : ModelTable.ROWS) {
      if (r.pattern.matcher(m).matches()) {
        return new ModelTokenizer(model, r.tokenizer, r.exact, r.ratio, r.bound, r.source);
      }
    }
    throw new IllegalStateException("the model table has no catch-all row");
  }

  private record Row(java.util.regex.Pattern pattern, String tokenizer, boolean exact, java.math.BigDecimal ratio,
      java.math.BigDecimal bound, String source) {}

  /** The bundled table, read once. */
  private static final class ModelTable {
    static final List<Row> ROWS = read();

    private static List<Row> read() {
      String res = "model-tokenizers.tsv";
      try (InputStream in = Tokenizers.class.getResourceAsStream(res)) {
        if (in == null) {
          throw new IllegalStateException("missing resource dev/kopeck/tokens/" + res);
        }
        List<Row> rows = new java.util.ArrayList<>();
        int line = 0;
        for (String l : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
          line++;
          if (l.isBlank() || l.startsWith("#")) {
            continue;
          }
          String[] f = l.split("\t");
          if (f.length != 6 || Names.Tokenizer.of(f[1]) == null || !(f[2].equals("exact") || f[2].equals("estimate"))) {
            throw new IllegalStateException(res + ": line " + line + ": expected pattern, a known tokenizer, "
                + "exact|estimate, ratio, bound, source");
          }
          rows.add(new Row(java.util.regex.Pattern.compile(f[0]), f[1], f[2].equals("exact"),
              new java.math.BigDecimal(f[3]), new java.math.BigDecimal(f[4]), f[5]));
        }
        return List.copyOf(rows);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /**
   * A tokenizer from a HuggingFace {@code tokenizer.json}: byte-level BPE (GPT-2's design: Llama 3,
   * Qwen, DeepSeek, gpt-oss and the like, with one of the pre-tokenizers Kopeck counts exactly), or
   * the Gemma family's (BPE with byte fallback, spaces normalized to {@code ▁}). What Kopeck cannot
   * count exactly is refused with the JSON path of the feature.
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
      if (sentencePiece) {
        return Counters.bpe(id, SentencePieceModel.read(file.toString(), in));
      }
      byte[] json = in.readAllBytes();
      if (Counters.isByteLevelJson(file.toString(), json)) {
        return Counters.byteBpe(id, ByteVocabulary.fromTokenizerJson(file.toString(), new ByteArrayInputStream(json)));
      }
      return Counters.bpe(id, BpeVocabulary.fromTokenizerJson(file.toString(), new ByteArrayInputStream(json)));
    } catch (NoSuchFileException e) {
      throw new InputException(file.toString(), null, "no such file");
    } catch (IOException e) {
      throw new InputException(file.toString(), null, "cannot read: " + e.getMessage(), e);
    }
  }

}
