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
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code kopeck count}. Its command line is built by {@link #commandLine}, not read from annotations:
 * a one-line count is the command users time, and picocli's reflection over an annotated command (its
 * options, a mixin, a group and the standard help options) cost that count about 50 ms of CPU
 * (docs/benchmarks.md, "Start-up").
 */
final class CountCommand implements Callable<Integer> {
  CommandSpec spec;

  Options.Tariffs tariffs = new Options.Tariffs();

  static final class Choice {
    String model;
    String tokenizer;
    java.nio.file.Path tokenizerFile;
  }

  Choice choice = new Choice();

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

  boolean json;
  String mediaRules;
  MediaRules.Detail detail = MediaRules.Detail.AUTO;
  MediaRules.Resolution resolution = MediaRules.Resolution.UNSPECIFIED;
  List<String> files;

  static final String NAME = "count";

  /** The command line of {@code count}, as the annotations of the other commands would make it. */
  static CommandLine commandLine() {
    CountCommand c = new CountCommand();
    CommandSpec s = CommandSpec.wrapWithoutInspection(c).name(NAME);
    c.spec = s;
    s.usageMessage().description(
        "Counts the tokens of each file, offline: text with the model's tokenizer; images, audio, video and PDFs"
            + " (found by their magic bytes, not their names) by the model's media rules, from their headers.",
        "A file that cannot be read is reported on stderr and the others are still counted;"
            + " the exit code is then 2.");
    // in the order picocli gives annotated options (the completion script lists them so): the mixin's,
    // the fields', then the standard help options
    s.addOption(OptionSpec.builder("--tariff").paramLabel("FILE|DIR").type(List.class)
        .auxiliaryTypes(java.nio.file.Path.class).description(Options.Tariffs.TARIFF_HELP).build());
    s.addOption(option("--default-model", "ID", String.class, Options.Tariffs.DEFAULT_MODEL_HELP));
    s.addOption(option("--catalog", "FILE|URL", String.class, Options.Tariffs.CATALOG_HELP));
    s.addArgGroup(ArgGroupSpec.builder().exclusive(true).multiplicity("0..1")
        .addArg(option("--model", "ID", String.class, "Count as this model does (any model kopeck models knows; a name"
            + " nothing knows is refused with the close names). A model with no public tokenizer (Claude, Grok ...) is"
            + " counted with the closest open one: the count says it is an estimate and gives its upper bound"
            + " (docs/tokenizers.md). Without --model, --tokenizer or --tokenizer-file: $KOPECK_DEFAULT_MODEL, else"
            + " refused."))
        .addArg(option("--tokenizer", "ID", String.class, "Count with this tokenizer: gemma3, gemma, o200k_base,"
            + " cl100k_base, p50k_base, r50k_base, o200k_harmony, llama3, qwen3, deepseek_v3."))
        .addArg(option("--tokenizer-file", "FILE", java.nio.file.Path.class, "Count with your own tokenizer: a"
            + " HuggingFace tokenizer.json (byte-level BPE, or the Gemma family's) or a SentencePiece .model"
            + " (Gemma-family BPE)."))
        .build());
    s.addOption(option("--provider", "ID", String.class, "With --model: where the model is priced (openai, anthropic,"
        + " google, groq, routerai ...), which chooses among models of one name."));
    s.addOption(OptionSpec.builder("--json").description("One JSON object per file and line: file, modality, tokens,"
        + " and the measured facts (width/height, seconds, pages).").build());
    s.addOption(option("--media-rules", "ID", String.class, "Count media by these rules (gemini-2.0, openai-tiles,"
        + " openai-tiles-4o-mini, openai-tiles-o, openai-patches-1.62, openai-patches-2.46, openai-patches-1.72,"
        + " anthropic, gemini-2.5, gemini-3, openai-tiles-5; docs/media.md); default: the model's."));
    s.addOption(option("--detail", "LEVEL", MediaRules.Detail.class,
        "Image detail for the openai-tiles rules: auto, low, high."));
    s.addOption(option("--media-resolution", "LEVEL", MediaRules.Resolution.class,
        "Gemini's media_resolution: unspecified, low (64 tokens an image), medium (256), high."));
    Main.standardHelpOptions(s);
    s.addPositional(PositionalParamSpec.builder().paramLabel("FILE").arity("1..*").required(true).type(List.class)
        .auxiliaryTypes(String.class).description("Files to count; - for standard input.").build());
    return new CommandLine(s);
  }

  private static OptionSpec option(String name, String label, Class<?> type, String description) {
    return OptionSpec.builder(name).paramLabel(label).type(type).description(description).build();
  }

  /** The parsed command line into the fields. */
  void bind() {
    choice.model = spec.findOption("--model").getValue();
    choice.tokenizer = spec.findOption("--tokenizer").getValue();
    choice.tokenizerFile = spec.findOption("--tokenizer-file").getValue();
    provider = spec.findOption("--provider").getValue();
    json = Boolean.TRUE.equals(spec.findOption("--json").getValue());
    mediaRules = spec.findOption("--media-rules").getValue();
    MediaRules.Detail d = spec.findOption("--detail").getValue();
    detail = d != null ? d : MediaRules.Detail.AUTO;
    MediaRules.Resolution r = spec.findOption("--media-resolution").getValue();
    resolution = r != null ? r : MediaRules.Resolution.UNSPECIFIED;
    List<java.nio.file.Path> t = spec.findOption("--tariff").getValue();
    if (t != null) {
      tariffs.tariffs.addAll(t);
    }
    tariffs.defaultModel = spec.findOption("--default-model").getValue();
    tariffs.catalogData = spec.findOption("--catalog").getValue();
    files = spec.positionalParameters().get(0).getValue();
  }

  InputStream stdin = new java.io.BufferedInputStream(System.in);

  @Override
  public Integer call() {
    bind();
    Counting counting = counter();
    ModelTokenizer how = counting.how();
    TokenCounter counter = counting.counter();
    if (Inputs.anyAtLeast(files, PRELOAD_BYTES)) {
      // its vocabulary loads while the file is read and decoded (docs/benchmarks.md, issue 33, fourth
      // pass: an 8 MiB count 40-60 ms sooner; a one-line count gains nothing, so small files do not)
      Background.loadVocabulary(() -> counter);
    }
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
   * From this size of a named file on, what the command needs next loads while the file is read
   * (count's vocabulary; estimate's model registry and vocabulary).
   */
  static final long PRELOAD_BYTES = 1 << 20;

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
