package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.tokens.media.MediaInfo;
import dev.kopeck.tokens.media.MediaProbe;
import dev.kopeck.tokens.media.MediaRules;
import dev.kopeck.tokens.ModelTokenizer;
import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "count",
    mixinStandardHelpOptions = true,
    description = {
      "Counts the tokens of each file, offline: text with the model's tokenizer; images, audio, video and PDFs"
          + " (found by their magic bytes, not their names) by the model's media rules, from their headers.",
      "A file that cannot be read is reported on stderr and the others are still counted;"
          + " the exit code is then 2."
    })
final class CountCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  static final class Choice {
    @Option(names = "--model", paramLabel = "ID",
        description = "Count as this model does (any model kopeck models knows; a name nothing knows is refused with"
            + " the close names). A model with no public tokenizer (Claude, Grok ...) is counted with the closest open"
            + " one: the count says it is an estimate and gives its upper bound (docs/tokenizers.md). Without --model,"
            + " --tokenizer or --tokenizer-file: $KOPECK_DEFAULT_MODEL, else refused.")
    String model;

    @Option(names = "--tokenizer", paramLabel = "ID",
        description = "Count with this tokenizer: gemma3, gemma, o200k_base, cl100k_base, p50k_base, r50k_base,"
            + " o200k_harmony, llama3, qwen3, deepseek_v3.")
    String tokenizer;

    @Option(names = "--tokenizer-file", paramLabel = "FILE",
        description = "Count with your own tokenizer: a HuggingFace tokenizer.json (byte-level BPE, or the Gemma"
            + " family's) or a SentencePiece .model (Gemma-family BPE).")
    java.nio.file.Path tokenizerFile;
  }

  @ArgGroup(exclusive = true)
  Choice choice = new Choice();

  @Option(names = "--provider", paramLabel = "ID",
      description = "With --model: where the model is priced (openai, anthropic, google, groq, routerai ...), which"
          + " chooses among models of one name.")
  String provider;

  /** The model counted as, when counting as a model (not with a tokenizer named): resolved once. */
  private dev.kopeck.core.model.Model resolved;

  private dev.kopeck.core.model.Model model() {
    if (resolved == null) {
      dev.kopeck.core.model.ModelRegistry registry = tariffs.registry();
      String name;
      try {
        name = registry.choose(choice.model);
      } catch (InputException e) {
        throw new InputException(null, null, "no model is named: give --model ID (or --tokenizer ID, or set"
            + " $KOPECK_DEFAULT_MODEL)");
      }
      try {
        resolved = registry.resolve(name, provider);
      } catch (InputException e) {
        throw new InputException(null, choice.model != null ? "--model" : "$KOPECK_DEFAULT_MODEL", e.problem(), e);
      }
    }
    return resolved;
  }

  @Option(names = "--json", description = "One JSON object per file and line: file, modality, tokens, and the"
      + " measured facts (width/height, seconds, pages).")
  boolean json;

  @Option(names = "--media-rules", paramLabel = "ID",
      description = "Count media by these rules (gemini-2.0, openai-tiles, openai-tiles-4o-mini, openai-tiles-o,"
          + " openai-patches-1.62, openai-patches-2.46, openai-patches-1.72, anthropic, gemini-2.5, gemini-3, openai-tiles-5; docs/media.md); default: the"
          + " model's.")
  String mediaRules;

  @Option(names = "--detail", paramLabel = "LEVEL", description = "Image detail for the openai-tiles rules: auto, low, high.")
  MediaRules.Detail detail = MediaRules.Detail.AUTO;

  @Option(names = "--media-resolution", paramLabel = "LEVEL",
      description = "Gemini's media_resolution: unspecified, low (64 tokens an image), medium (256), high.")
  MediaRules.Resolution resolution = MediaRules.Resolution.UNSPECIFIED;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to count; - for standard input.")
  List<String> files;

  InputStream stdin = new java.io.BufferedInputStream(System.in);

  @Override
  public Integer call() {
    Counting counting = counter();
    ModelTokenizer how = counting.how();
    TokenCounter counter = counting.counter();
    MediaRules rules = rules(counter);
    long textMax = 0;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long total = 0;
    int failed = 0;
    for (String f : files) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("file", Inputs.name(f));
      long tokens;
      try {
        byte[] bytes = Inputs.bytes(f, stdin); // read once: decided by its structure, then counted
        MediaProbe.Content content = MediaProbe.identify(Inputs.name(f), bytes);
        if (content.medium() != null) {
          MediaInfo m = content.medium();
          if (rules == null || (mediaRules == null && choice.tokenizer == null && choice.tokenizerFile == null
              && model().refuses(m.modality()) != null)) {
            String why = choice.tokenizer == null && choice.tokenizerFile == null ? model().refuses(m.modality())
                : "no media rules";
            throw new InputException(Inputs.name(f), null, (m.modality() == dev.kopeck.base.Modality.IMAGE || m.modality() == dev.kopeck.base.Modality.AUDIO ? "an " : "a ")
                + m.modality().jsonName() + " (" + m.format() + "): "
                + why + "; give --media-rules ID to count it by other rules");
          }
          tokens = rules.tokens(m, detail, resolution);
          o.put("modality", m.modality().jsonName());
          o.put("tokens", tokens);
          o.put("format", m.format());
          if (m.width() > 0) {
            o.put("width", m.width());
            o.put("height", m.height());
          }
          if (m.seconds() != null) {
            o.put("seconds", m.seconds().stripTrailingZeros().toPlainString());
          }
          if (m.pages() > 0) {
            o.put("pages", m.pages());
          }
          o.put("media_rules", rules.id());
          for (String note : new String[] {m.note(), rules.notAccepted(m)}) {
            if (note != null) {
              o.withArray("notes").add(note);
              if (!json) {
                err.println("kopeck count: " + Inputs.name(f) + ": " + note);
              }
            }
          }
        } else {
          String text = content.text();
          long counted = counter.count(text);
          tokens = how.tokens(counted);
          o.put("modality", "text");
          o.put("tokens", tokens);
          o.put("tokenizer", counter.id());
          o.put("count", how.exact() ? "exact" : "estimate");
          if (!how.exact()) {
            o.put("bound", how.bound().toPlainString());
            o.put("tokens_max", how.upper(counted));
            textMax += how.upper(counted) - tokens;
          }
        }
      } catch (InputException e) {
        err.println("kopeck count: " + e.getMessage());
        failed++;
        continue;
      }
      total += tokens;
      if (json) {
        out.println(Output.json(o));
      } else {
        boolean text = o.get("modality").asText().equals("text");
        out.printf("%10d  %s%s%n", tokens, Inputs.name(f), text ? (how.exact() ? ""
            : "  (" + how.label() + ", at most " + o.get("tokens_max").asLong() + ")")
            : "  (" + o.get("modality").asText() + ", " + o.get("format").asText() + facts(o) + ")");
      }
    }
    if (!json && files.size() > 1) {
      out.printf("%10d  total (%s)%n", total, how.exact() ? counter.id() : how.label() + ", at most " + (total + textMax));
    }
    out.flush();
    err.flush();
    return failed == 0 ? Main.OK : Main.BAD_INPUT;
  }

  private static String facts(ObjectNode o) {
    if (o.has("width")) {
      return ", " + o.get("width").asLong() + "x" + o.get("height").asLong() + (o.has("seconds") ? ", " + o.get("seconds").asText() + " s" : "");
    }
    if (o.has("seconds")) {
      return ", " + o.get("seconds").asText() + " s";
    }
    return o.has("pages") ? ", " + Output.count(o.get("pages").asLong(), "page") : "";
  }

  /**
   * The media rules: --media-rules, else the model's (the registry's: its tariff table's, else Kopeck's
   * model table), else, when a tokenizer is named, its family's. Null when the model has none: a medium
   * is then refused, saying why.
   */
  private MediaRules rules(TokenCounter counter) {
    if (mediaRules != null) {
      return MediaRules.require(mediaRules);
    }
    if (choice.tokenizer == null && choice.tokenizerFile == null) {
      return model().media().orElse(null);
    }
    return MediaRules.require(Tokenizers.isOpenAiEncoding(counter.id()) ? "openai-tiles" : "gemini-2.0");
  }

  /** A counter, and how far its counts can be trusted for the model asked about. */
  private record Counting(TokenCounter counter, ModelTokenizer how) {}

  /** Which tokenizer counts, and whether exactly: the one named, else the model's (tariff table, else the model table). */
  private Counting counter() {
    if (choice.tokenizerFile != null) {
      TokenCounter t = Tokenizers.fromFile(choice.tokenizerFile);
      return new Counting(t, ModelTokenizer.exact(t.id(), t.id(), choice.tokenizerFile.toString()));
    }
    if (choice.tokenizer != null) {
      TokenCounter t = Tokenizers.require(choice.tokenizer);
      return new Counting(t, ModelTokenizer.exact(t.id(), t.id(), "--tokenizer"));
    }
    ModelTokenizer how = model().tokenizer();
    return new Counting(how.counter(), how);
  }
}
