package dev.kopeck.core.estimate;

import dev.kopeck.core.estimate.ChatRequest.Media;
import dev.kopeck.core.estimate.ChatRequest.Message;
import dev.kopeck.core.estimate.ChatRequest.Part;
import dev.kopeck.core.estimate.ChatRequest.Text;
import dev.kopeck.base.InputException;
import dev.kopeck.base.Modality;
import dev.kopeck.tokens.media.MediaInfo;
import dev.kopeck.tokens.media.MediaProbe;
import dev.kopeck.tokens.media.MediaRules;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.core.model.Model;
import dev.kopeck.core.model.ModelRegistry;
import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.tariff.RateUnit;
import dev.kopeck.pricing.tariff.Tariff;
import dev.kopeck.pricing.tariff.TariffTables;
import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.ChatOverhead;
import dev.kopeck.tokens.ModelTokenizer;
import dev.kopeck.tokens.Tokenizers;
import dev.kopeck.pricing.usage.MediaCounts;
import dev.kopeck.pricing.usage.Modalities;
import dev.kopeck.pricing.usage.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Estimates a chat request before it is sent: input tokens by modality, output min / expected /
 * max, cost min / expected / max, and whether it fits the model's limits. Thread-safe.
 *
 * <p>Assumptions, each reported as a warning when made (docs/estimate.md): tool declarations and
 * response schemas count as their compact JSON text; the chat format's overhead is the tokenizer's
 * family's ({@link ChatOverhead}: 0 for the Gemma tokenizers, as Gemini counts the parts' content; 3
 * per message plus 3 per request for OpenAI's encodings; the chat templates' for the open families),
 * unless calibration says otherwise; a remote image whose size is not known
 * counts as the rules' worst case; the expected output is {@link #DEFAULT_EXPECTED_OUTPUT} tokens a
 * choice (at most the maximum) unless calibration learned the model's median.
 */
public final class Estimator {
  public static final long DEFAULT_EXPECTED_OUTPUT = 256;

  private final ModelRegistry registry;
  private final Calibration calibration;
  private final Clock clock;
  private final Function<String, Optional<MediaInfo>> remoteMedia;

  private Estimator(Builder b) {
    this.registry = b.registry != null ? b.registry : ModelRegistry.standard();
    this.calibration = b.calibration;
    this.clock = b.clock;
    this.remoteMedia = b.remoteMedia;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** With the standard registry (bundled tariffs and catalog), no calibration, the system clock. */
  public static Estimator standard() {
    return builder().build();
  }

  /** Configuration. */
  public static final class Builder {
    private ModelRegistry registry;
    private Calibration calibration = Calibration.empty();
    private Clock clock = Clock.systemUTC();
    private Function<String, Optional<MediaInfo>> remoteMedia = url -> Optional.empty();

    private Builder() {}

    /** The models requests are estimated for (default: {@link ModelRegistry#standard()}). */
    public Builder registry(ModelRegistry r) {
      registry = Objects.requireNonNull(r, "registry");
      return this;
    }

    public Builder calibration(Calibration c) {
      calibration = Objects.requireNonNull(c, "calibration");
      return this;
    }

    /** The time that picks the tariff in force. */
    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** What the caller knows of remote media (an http URL's image size), by URL. */
    public Builder remoteMedia(Function<String, Optional<MediaInfo>> r) {
      remoteMedia = Objects.requireNonNull(r, "remoteMedia");
      return this;
    }

    public Estimator build() {
      return new Estimator(this);
    }
  }

  /** The model the estimator resolves names with. */
  public ModelRegistry registry() {
    return registry;
  }

  /** The model, tokenizer, rules and calibration an estimate uses. */
  final class Setup {
    final Model model;
    final Instant at;
    final TokenCounter counter;
    final MediaRules rules;
    final MediaRules.Resolution resolution;
    final BigDecimal textRatio;
    final BigDecimal perMessage;
    final long perRequest;
    /** OpenAI's chat format: each message's role (and name, with one more token) are counted too. */
    final boolean rolesCounted;
    final Optional<Calibration.Model> learned;
    /** Which tokenizer counts the text, and how far to trust it (ratio and bound after calibration). */
    final ModelTokenizer tokenizer;
    /** How the chat overhead is known: {@code exact}, {@code estimate} or {@code calibrated}; and by what rule. */
    final String overheadCount;
    final String overheadRule;

    Setup(String name, String provider, MediaRules.Resolution resolution, Instant now) {
      this.model = registry.resolve(name, provider);
      this.at = now;
      if (!model.pricedAt(now)) {
        throw new InputException(null, null, "no tariff of " + model.id() + " is in force at " + now);
      }
      ModelTokenizer how = model.tokenizer();
      this.counter = how.counter();
      this.rules = model.media().orElse(null);
      this.resolution = resolution;
      this.learned = calibration.find(model.id());
      ChatOverhead chat = ChatOverhead.of(counter.id());
      this.rolesCounted = Tokenizers.isOpenAiEncoding(counter.id());
      this.textRatio = learned.map(Calibration.Model::textRatio).orElse(how.ratio());
      BigDecimal bound = learned.map(Calibration.Model::textBound).orElse(null);
      this.tokenizer = learned.isPresent() && !how.exact()
          ? how.calibrated(textRatio, bound != null ? bound : how.bound()) : how;
      this.perMessage = learned.map(Calibration.Model::messageOverhead).orElse(BigDecimal.valueOf(chat.perMessage()));
      this.perRequest = chat.perRequest();
      boolean none = chat.perMessage() == 0 && chat.perRequest() == 0;
      if (learned.isPresent()) {
        overheadCount = "calibrated";
        overheadRule = "calibration: " + perMessage.stripTrailingZeros().toPlainString() + " tokens a message, learned"
            + " from the model's calls";
      } else if (how.exact() && !none) {
        overheadCount = "exact"; // the model's own tokenizer, and its format's published rule or chat template
        overheadRule = chat.source();
      } else if (none) {
        overheadCount = "estimate";
        overheadRule = "taken as none, the parts' content alone (as Gemini counts it); how " + model.id()
            + " renders a conversation is not published";
      } else {
        overheadCount = "estimate";
        overheadRule = chat.source() + "; " + counter.id() + " stands in for " + model.id() + "'s tokenizer, and its"
            + " format for " + model.id() + "'s, which is not published";
      }
    }

    /** The context window, or the largest count when the model's is not known. */
    long contextLimit() {
      return model.contextWindow().orElse(Long.MAX_VALUE);
    }

    /** Counts one message; adds a warning for every assumption. */
    Counts count(Message m, List<String> warnings) {
      Counts c = new Counts();
      c.messages = 1;
      c.roles = roleTokens(m);
      for (Part p : m.parts()) {
        if (p instanceof Text t) {
          c.text += counter.count(t.text());
        } else {
          media((Media) p, c, warnings);
        }
      }
      return c;
    }

    /**
     * OpenAI's cookbook: a message's role's tokens, and its name's tokens plus one, beside 3 a message;
     * 0 for other formats, and where calibration learned the whole overhead a message.
     */
    long roleTokens(Message m) {
      if (!rolesCounted || learned.isPresent()) {
        return 0;
      }
      return counter.count(m.role()) + (m.name() == null ? 0 : counter.count(m.name()) + 1);
    }

    private void media(Media p, Counts c, List<String> warnings) {
      Modality kind = switch (p.kind()) {
        case IMAGE -> Modality.IMAGE;
        case AUDIO -> Modality.AUDIO;
        case VIDEO -> Modality.VIDEO;
        case FILE -> Modality.DOCUMENT;
      };
      String refused = model.refuses(kind);
      if (refused != null) {
        throw new InputException(null, p.path(), refused);
      }
      MediaInfo info;
      if (p.remoteUrl() != null) {
        Optional<MediaInfo> known = remoteMedia.apply(p.remoteUrl());
        if (known.isPresent()) {
          info = known.get();
        } else if (p.kind() == Media.Kind.IMAGE) {
          long worst = rules.worstCaseImageTokens(p.detail(), resolution);
          warnings.add(p.path() + ": remote image of unknown size: assumed the worst case, " + worst + " tokens");
          c.image += worst;
          c.images++;
          return;
        } else {
          warnings.add(p.path() + ": remote " + p.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " of unknown length: not counted");
          c.unmeasured++;
          return;
        }
      } else if (p.dataUrl() != null) {
        info = MediaProbe.probeDataUrl(p.path(), p.dataUrl());
      } else {
        info = MediaProbe.probeBase64(p.path(), p.base64());
      }
      if (info.note() != null) {
        warnings.add(p.path() + ": " + info.note());
      }
      String format = rules.notAccepted(info);
      if (format != null) {
        warnings.add(p.path() + ": " + format + ": the provider may refuse the request or convert it");
      }
      long tokens;
      try {
        tokens = rules.tokens(info, p.detail(), resolution);
      } catch (InputException e) {
        warnings.add(p.path() + ": " + e.problem() + " for " + info.modality().jsonName() + ": not counted");
        c.unmeasured++;
        return;
      }
      switch (info.modality()) {
        case IMAGE:
          c.image += tokens;
          c.images++;
          break;
        case AUDIO:
          c.audio += tokens;
          c.audioSeconds = c.audioSeconds.add(info.seconds());
          break;
        case VIDEO:
          c.video += tokens;
          c.videoSeconds = c.videoSeconds.add(info.seconds());
          break;
        default:
          c.document += tokens;
          c.pages += info.pages();
      }
    }

    /** Tool declarations, the tool choice and the response schema. */
    long fixed(ChatRequest r, List<String> warnings) {
      long t = toolChoice(r, warnings);
      String functions = r.tools() != null && rolesCounted
          ? dev.kopeck.core.estimate.internal.FunctionDefinitions.render(r.tools()) : null;
      if (functions != null) {
        // OpenAI's models read function declarations as TypeScript definitions; 9 tokens around them, 4 fewer
        // with a system message, whose first one gains a trailing newline (openai-chat-tokens' rule)
        t += counter.count(functions) + 9;
        for (Message m : r.messages()) {
          if (m.role().equals("system")) {
            StringBuilder text = new StringBuilder();
            m.parts().stream().filter(p -> p instanceof Text).forEach(p -> text.append(((Text) p).text()));
            t += counter.count(text + "\n") - counter.count(text) - 4;
            break;
          }
        }
        warnings.add("$.tools: function declarations counted as OpenAI renders them, TypeScript definitions (the rule"
            + " of the openai-chat-tokens package)");
      } else if (r.tools() != null) {
        t += counter.count(r.tools());
        warnings.add("$.tools: tool declarations counted as their compact JSON text (the provider's own"
            + " rendering may differ; calibration learns the difference)");
      }
      if (r.responseSchema() != null) {
        t += counter.count(r.responseSchema());
        warnings.add("response schema counted as its compact JSON text");
      }
      return t;
    }

    /**
     * What the request's {@code tool_choice} adds, as openai-chat-tokens counts its {@code function_call}
     * (for OpenAI's encodings): naming a function, the name's tokens and 4; {@code none}, 1; {@code auto}
     * (or none given), nothing. Other choices ({@code required}, allowed tools) have no rule there: not
     * counted, and a warning says so. 0 for other formats.
     */
    long toolChoice(ChatRequest r, List<String> warnings) {
      ChatRequest.ToolChoice c = r.toolChoice();
      if (c == null || !rolesCounted || c.mode().equals("auto")) {
        return 0;
      }
      if (c.function() != null) {
        long t = counter.count(c.function()) + 4;
        warnings.add("$.tool_choice: naming the function " + c.function() + " adds " + t + " tokens (its name's tokens"
            + " and 4, the rule of the openai-chat-tokens package)");
        return t;
      }
      if (c.mode().equals("none")) {
        warnings.add("$.tool_choice: none adds 1 token (the rule of the openai-chat-tokens package)");
        return 1;
      }
      warnings.add("$.tool_choice: " + c.mode() + " is not counted (the openai-chat-tokens package has no rule for it)");
      return 0;
    }

    /**
     * Text tokens after calibration: the raw count times the ratio, plus the chat format's overhead
     * (per message, the roles and names where the format counts them, and per request).
     */
    long text(Counts c, long fixed) {
      BigDecimal t = BigDecimal.valueOf(c.text).multiply(textRatio)
          .add(perMessage.multiply(BigDecimal.valueOf(c.messages)));
      return t.setScale(0, RoundingMode.CEILING).longValueExact() + c.roles + fixed;
    }

    /** {@link #text} of a whole request: with the request's own overhead (the answer's priming) once. */
    long request(Counts c, long fixed) {
      return text(c, fixed) + (c.messages > 0 ? perRequest : 0);
    }
  }

  Setup setup(ChatRequest r, String modelOverride, String provider) {
    return new Setup(registry.choose(modelOverride, r.model()), provider, r.resolution(), clock.instant());
  }

  /**
   * Estimates {@code r} for the model it names (else the registry's configured default), with today's prices.
   *
   * @throws InputException when no model is named and no default is configured, or the model is unknown
   */
  public Estimate estimate(ChatRequest r) {
    return estimate(r, null, null, clock.instant());
  }

  /** Estimates {@code r} for {@code model} (null: the model the request names, else the configured default). */
  public Estimate estimate(ChatRequest r, String model) {
    return estimate(r, model, null, clock.instant());
  }

  /** As {@link #estimate(ChatRequest, String)} with the prices in force at {@code when}: for reconciling past calls. */
  public Estimate estimate(ChatRequest r, String model, Instant when) {
    return estimate(r, model, null, when);
  }

  /**
   * Estimates {@code r} for {@code model} at {@code provider} (either null: the request's model, the
   * provider the registry finds), with the prices in force at {@code when}.
   */
  public Estimate estimate(ChatRequest r, String model, String provider, Instant when) {
    Setup s = new Setup(registry.choose(model, r.model()), provider, r.resolution(), when);
    List<String> warnings = new ArrayList<>();
    Counts total = new Counts();
    for (Message m : r.messages()) {
      total.add(s.count(m, warnings));
    }
    return finish(s, r, total, s.fixed(r, warnings), warnings);
  }

  Estimate finish(Setup s, ChatRequest r, Counts total, long fixed, List<String> warnings) {
    long toolChoice = s.toolChoice(r, new ArrayList<>());
    long text = s.request(total, fixed);
    Modalities input = new Modalities(text, total.image, total.audio, total.video, total.document);
    long limit = s.contextLimit();
    if (s.model.contextWindow().isEmpty()) {
      warnings.add("the context window of " + s.model.id() + " is not known: whether the input fits is not checked");
    }
    Long declared = s.model.outputLimit().orElse(null);
    long outputLimit;
    if (declared != null) {
      outputLimit = declared;
    } else if (s.model.contextWindow().isPresent()) {
      outputLimit = limit;
      warnings.add("no output limit is known for " + s.model.id() + ": its context window, " + String.format(
          java.util.Locale.ROOT, "%,d", limit) + " tokens, stands in for it");
    } else if (r.maxOutputTokens() != null) {
      outputLimit = Long.MAX_VALUE;
    } else {
      throw new InputException(null, "$.max_tokens", "neither an output limit nor a context window is known for "
          + s.model.id() + ", so the most it can cost is unbounded: set max_tokens (or max_completion_tokens)");
    }
    long perChoice = r.maxOutputTokens() != null ? r.maxOutputTokens() : outputLimit;
    if (r.maxOutputTokens() == null) {
      warnings.add("no max_tokens: the maximum output is the model's output limit, " + String.format(
          java.util.Locale.ROOT, "%,d", outputLimit));
    }
    long outMax = Math.multiplyExact(perChoice, r.n());
    long expectedPerChoice;
    if (s.learned.isPresent()) {
      expectedPerChoice = Math.min(perChoice, s.learned.get().outputP50());
    } else {
      expectedPerChoice = Math.min(perChoice, DEFAULT_EXPECTED_OUTPUT);
      warnings.add(expectedPerChoice == DEFAULT_EXPECTED_OUTPUT
          ? "expected output is the default " + DEFAULT_EXPECTED_OUTPUT + " tokens a choice (no calibration for "
              + s.model.id() + ")"
          : "expected output is max_tokens, " + expectedPerChoice + " tokens a choice (below the default "
              + DEFAULT_EXPECTED_OUTPUT + "; no calibration for " + s.model.id() + ")");
    }
    long outExpected = Math.multiplyExact(expectedPerChoice, r.n());
    MediaCounts media = MediaCounts.UNKNOWN.withImages(total.images).withAudioSeconds(total.audioSeconds)
        .withVideoSeconds(total.videoSeconds).withPages(total.pages);
    Optional<Tariff> tariff = s.model.tariffAt(s.at);
    if (total.images > 0 && tariff.isPresent()) {
      Tariff t = tariff.get();
      t.rateFor(ChargeKind.INPUT_IMAGE, input.total())
          .filter(a -> a.billedAs() == ChargeKind.INPUT_IMAGE && a.rate().unit() == RateUnit.IMAGE
              && !t.note().isBlank())
          .ifPresent(a -> warnings.add("input images are billed per image: " + t.note()));
    }
    long calibratedText = BigDecimal.valueOf(total.text).multiply(s.textRatio).setScale(0, RoundingMode.CEILING)
        .longValueExact();
    // an estimated count: the most it can cost takes the text at its upper bound
    long textSlack = s.tokenizer.exact() ? 0 : BigDecimal.valueOf(calibratedText).multiply(s.tokenizer.bound())
        .setScale(0, RoundingMode.CEILING).longValueExact();
    if (!s.tokenizer.exact()) {
      warnings.add("the text is counted with " + s.tokenizer.tokenizer() + ", not " + s.model.id() + "'s own tokenizer ("
          + s.tokenizer.source() + "): an estimate within ±" + s.tokenizer.bound().movePointRight(2).stripTrailingZeros()
          .toPlainString() + "%, and the most it can cost counts the text at +" + textSlack + " tokens");
      if (input.total() + textSlack > limit && input.total() <= limit) {
        warnings.add("at the upper bound of the estimate the input would not fit the context window");
      }
    }
    Money min = price(s, input, 0, media);
    Money expected = price(s, input, outExpected, media);
    Money max = price(s, input.with(Modality.TEXT, input.text() + textSlack), outMax, media);
    boolean fits = input.total() <= limit && perChoice <= outputLimit;
    if (total.unmeasured > 0) {
      // the unmeasured parts may be anything up to the rest of the context window: the most a call the
      // provider accepts can cost bills that rest at the dearest input rate, and it may not fit
      long rest = s.model.contextWindow().isPresent() ? Math.max(0, limit - input.total()) : 0;
      for (Modality k : Modality.values()) {
        Money m = price(s, input.with(k, input.get(k) + rest), outMax, media);
        if (m.amount().compareTo(max.amount()) > 0) {
          max = m;
        }
      }
      fits = false;
      warnings.add(total.unmeasured + (total.unmeasured == 1 ? " part" : " parts") + " could not be measured: whether"
          + " the request fits is unknown, and the most it can cost takes the rest of the context window ("
          + rest + " tokens) at the dearest input rate");
    }
    long overhead = text - fixed - calibratedText;
    if (s.overheadCount.equals("estimate") && total.messages > 0) {
      warnings.add("the chat format's overhead, " + overhead + (overhead == 1 ? " token" : " tokens") + ", is an estimate: "
          + s.overheadRule);
    }
    String misfit = null;
    if (total.unmeasured > 0) {
      misfit = total.unmeasured + (total.unmeasured == 1 ? " part" : " parts") + " not measured";
    } else if (input.total() > limit) {
      misfit = String.format(java.util.Locale.ROOT, "the input, %,d tokens, is over the %,d-token context window",
          input.total(), limit);
    } else if (perChoice > outputLimit) {
      misfit = String.format(java.util.Locale.ROOT, "max_tokens %,d is over the %,d-token output limit", perChoice,
          outputLimit);
    }
    return new Estimate(s.model.id(), s.model.provider(), input, fixed, overhead, total.images, outMax, outExpected,
        min, expected, max, limit, outputLimit, perChoice, fits, misfit, warnings, total.text, total.messages,
        total.unmeasured, s.tokenizer, textSlack, toolChoice, s.overheadCount, s.overheadRule);
  }

  private static Money price(Setup s, Modalities in, long out, MediaCounts media) {
    Usage u = Usage.builder().inputTokens(in.total()).inputImageTokens(in.image()).inputAudioTokens(in.audio())
        .inputVideoTokens(in.video()).inputDocumentTokens(in.document()).outputTokens(out).media(media).build();
    return s.model.price(u, s.at).total();
  }

  /**
   * Whether {@code r} fits the model's input limit, counting only as far as the limit: deciding that
   * a 5 MB prompt does not fit costs what counting the limit costs.
   */
  public boolean fits(ChatRequest r, String model) {
    return fits(r, model, null);
  }

  /** As {@link #fits(ChatRequest, String)}, for {@code model} at {@code provider} (null: the one the registry finds). */
  public boolean fits(ChatRequest r, String model, String provider) {
    Setup s = setup(r, model, provider);
    long limit = s.contextLimit();
    Long outLimit = s.model.outputLimit().orElse(null);
    if (r.maxOutputTokens() != null && outLimit != null && r.maxOutputTokens() > outLimit) {
      return false;
    }
    List<String> ignored = new ArrayList<>();
    long used = s.fixed(r, ignored) + (r.messages().isEmpty() ? 0 : s.perRequest);
    BigDecimal ratio = s.textRatio;
    for (Message m : r.messages()) {
      used += s.perMessage.setScale(0, RoundingMode.CEILING).longValueExact();
      used += s.roleTokens(m);
      for (Part p : m.parts()) {
        long room = limit - used;
        if (room < 0) {
          return false;
        }
        if (p instanceof Text t) {
          int cap = (int) Math.min(Integer.MAX_VALUE - 1L, BigDecimal.valueOf(room).divide(ratio, 0, RoundingMode.FLOOR)
              .longValue());
          long n = s.counter.countUpTo(t.text(), cap);
          used += BigDecimal.valueOf(n).multiply(ratio).setScale(0, RoundingMode.CEILING).longValueExact();
        } else {
          Counts c = new Counts();
          s.media((Media) p, c, ignored);
          used += c.media();
        }
        if (used > limit) {
          return false;
        }
      }
    }
    return used <= limit;
  }

  /**
   * The tokens of {@code text} alone (no message around it) as {@code model} counts it: its
   * tokenizer's count, times the ratio calibration learned where that tokenizer is not the model's own.
   */
  public long textTokens(String model, CharSequence text) {
    Setup s = new Setup(model, null, MediaRules.Resolution.UNSPECIFIED, clock.instant());
    Counts c = new Counts();
    c.text = s.counter.count(text);
    return s.text(c, 0);
  }

  /** An empty conversation for {@code model}, to grow message by message. */
  public Conversation conversation(String model) {
    return new Conversation(this, new Setup(model, null, MediaRules.Resolution.UNSPECIFIED, clock.instant()));
  }

  /** A conversation holding the messages of {@code r}, each counted once. */
  public Conversation conversation(ChatRequest r, String model) {
    return conversation(r, model, null);
  }

  /** As {@link #conversation(ChatRequest, String)}, for {@code model} at {@code provider} (null: the one the registry finds). */
  public Conversation conversation(ChatRequest r, String model, String provider) {
    Conversation c = new Conversation(this, setup(r, model, provider));
    c.request = r;
    for (Message m : r.messages()) {
      c.append(m);
    }
    return c;
  }
}
