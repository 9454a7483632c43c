package dev.kopeck.estimate;

import dev.kopeck.cost.CostCalculator;
import dev.kopeck.estimate.ChatRequest.Media;
import dev.kopeck.estimate.ChatRequest.Message;
import dev.kopeck.estimate.ChatRequest.Part;
import dev.kopeck.estimate.ChatRequest.Text;
import dev.kopeck.base.InputException;
import dev.kopeck.base.Modality;
import dev.kopeck.media.MediaInfo;
import dev.kopeck.media.MediaProbe;
import dev.kopeck.media.MediaRules;
import dev.kopeck.money.Money;
import dev.kopeck.tariff.ChargeKind;
import dev.kopeck.tariff.PricedModel;
import dev.kopeck.tariff.RateUnit;
import dev.kopeck.tariff.Tariff;
import dev.kopeck.tariff.TariffCatalog;
import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.ChatOverhead;
import dev.kopeck.tokens.ModelTokenizer;
import dev.kopeck.tokens.Tokenizers;
import dev.kopeck.usage.MediaCounts;
import dev.kopeck.usage.Modalities;
import dev.kopeck.usage.Usage;
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

  private final TariffCatalog catalog;
  private final Calibration calibration;
  private final Clock clock;
  private final Function<String, Optional<MediaInfo>> remoteMedia;

  private Estimator(Builder b) {
    this.catalog = b.catalog;
    this.calibration = b.calibration;
    this.clock = b.clock;
    this.remoteMedia = b.remoteMedia;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** With the bundled tariffs, no calibration, the system clock. */
  public static Estimator standard() {
    return builder().build();
  }

  /** Configuration. */
  public static final class Builder {
    private TariffCatalog catalog = TariffCatalog.bundled();
    private Calibration calibration = Calibration.empty();
    private Clock clock = Clock.systemUTC();
    private Function<String, Optional<MediaInfo>> remoteMedia = url -> Optional.empty();

    private Builder() {}

    public Builder catalog(TariffCatalog c) {
      catalog = Objects.requireNonNull(c, "catalog");
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

  /** The model, tokenizer, rules and calibration an estimate uses. */
  final class Setup {
    final PricedModel model;
    final Tariff tariff;
    final TokenCounter counter;
    final MediaRules rules;
    final MediaRules.Resolution resolution;
    final BigDecimal textRatio;
    final BigDecimal perMessage;
    final long perRequest;
    final Optional<Calibration.Model> learned;
    /** Which tokenizer counts the text, and how far to trust it (ratio and bound after calibration). */
    final ModelTokenizer tokenizer;

    Setup(String name, MediaRules.Resolution resolution, Instant now) {
      this.model = catalog.find(name).orElseGet(() -> {
        boolean inCatalog;
        try {
          inCatalog = dev.kopeck.catalog.Catalog.bundled().find(name, null).isPresent();
        } catch (IllegalStateException noCatalog) {
          inCatalog = false;
        }
        if (inCatalog) {
          throw new InputException(null, null, "\"" + name + "\" is priced by the catalog of public prices, which"
              + " counts no tokens: an estimate needs its tokenizer in a tariff table (docs/tariffs.md); kopeck cost"
              + " prices its usage");
        }
        return catalog.require(name);
      });
      this.tariff = model.tariffAt(now).orElseThrow(() -> new InputException(null, null,
          "no tariff of " + model.id() + " is in force at " + now));
      // the tariff table's tokenizer is the model's own; else the model table's choice, exact or an estimate
      ModelTokenizer how = model.info().tokenizer() != null
          ? ModelTokenizer.exact(model.id(), model.info().tokenizer(), "the tariff table")
          : Tokenizers.resolve(model.id());
      this.counter = how.counter();
      this.rules = model.info().mediaRules() == null ? null : MediaRules.require(model.info().mediaRules());
      this.resolution = resolution;
      this.learned = calibration.find(model.id());
      ChatOverhead chat = ChatOverhead.of(counter.id());
      this.textRatio = learned.map(Calibration.Model::textRatio).orElse(how.ratio());
      BigDecimal bound = learned.map(Calibration.Model::textBound).orElse(null);
      this.tokenizer = learned.isPresent() && !how.exact()
          ? how.calibrated(textRatio, bound != null ? bound : how.bound()) : how;
      this.perMessage = learned.map(Calibration.Model::messageOverhead).orElse(BigDecimal.valueOf(chat.perMessage()));
      this.perRequest = chat.perRequest();
    }

    /** Counts one message; adds a warning for every assumption. */
    Counts count(Message m, List<String> warnings) {
      Counts c = new Counts();
      c.messages = 1;
      for (Part p : m.parts()) {
        if (p instanceof Text t) {
          c.text += counter.count(t.text());
        } else {
          media((Media) p, c, warnings);
        }
      }
      return c;
    }

    private void media(Media p, Counts c, List<String> warnings) {
      if (rules == null) {
        throw new InputException(null, p.path(), "no media rules are known for " + model.id()
            + " (its tariff table names none), so this " + p.kind().name().toLowerCase(java.util.Locale.ROOT)
            + " cannot be counted");
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
      String refused = rules.notAccepted(info);
      if (refused != null) {
        warnings.add(p.path() + ": " + refused + ": the provider may refuse the request or convert it");
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

    long fixed(ChatRequest r, List<String> warnings) {
      long t = perRequest;
      if (r.tools() != null) {
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

    /** Text tokens after calibration: the raw count times the ratio, plus the message overhead. */
    long text(Counts c, long fixed) {
      BigDecimal t = BigDecimal.valueOf(c.text).multiply(textRatio)
          .add(perMessage.multiply(BigDecimal.valueOf(c.messages)));
      return t.setScale(0, RoundingMode.CEILING).longValueExact() + fixed;
    }
  }

  Setup setup(ChatRequest r, String modelOverride) {
    return new Setup(TariffCatalog.modelOrDefault(modelOverride, r.model()), r.resolution(), clock.instant());
  }

  /** Estimates {@code r} for the model it names (else {@link TariffCatalog#DEFAULT_MODEL}), with today's tariff. */
  public Estimate estimate(ChatRequest r) {
    return estimate(r, null, clock.instant());
  }

  /** Estimates {@code r} for {@code model} (null: the model the request names, else the default). */
  public Estimate estimate(ChatRequest r, String model) {
    return estimate(r, model, clock.instant());
  }

  /** As {@link #estimate(ChatRequest, String)} with the tariff in force at {@code when}: for reconciling past calls. */
  public Estimate estimate(ChatRequest r, String model, Instant when) {
    Setup s = new Setup(TariffCatalog.modelOrDefault(model, r.model()), r.resolution(), when);
    List<String> warnings = new ArrayList<>();
    Counts total = new Counts();
    for (Message m : r.messages()) {
      total.add(s.count(m, warnings));
    }
    return finish(s, r, total, s.fixed(r, warnings), warnings);
  }

  Estimate finish(Setup s, ChatRequest r, Counts total, long fixed, List<String> warnings) {
    long text = s.text(total, fixed);
    Modalities input = new Modalities(text, total.image, total.audio, total.video, total.document);
    Long declared = s.model.info().outputTokenLimit();
    long outputLimit = declared != null ? declared : s.model.info().inputTokenLimit();
    if (declared == null) {
      warnings.add("the tariff table gives no output limit for " + s.model.id() + ": the input limit, "
          + outputLimit + ", stands in for it");
    }
    long perChoice = r.maxOutputTokens() != null ? r.maxOutputTokens() : outputLimit;
    if (r.maxOutputTokens() == null) {
      warnings.add("no max_tokens: the maximum output is the model's output limit, " + outputLimit);
    }
    long outMax = Math.multiplyExact(perChoice, r.n());
    long expectedPerChoice;
    if (s.learned.isPresent()) {
      expectedPerChoice = Math.min(perChoice, s.learned.get().outputP50());
    } else {
      expectedPerChoice = Math.min(perChoice, DEFAULT_EXPECTED_OUTPUT);
      warnings.add("expected output is the default " + DEFAULT_EXPECTED_OUTPUT + " tokens a choice (no calibration for "
          + s.model.id() + ")");
    }
    long outExpected = Math.multiplyExact(expectedPerChoice, r.n());
    MediaCounts media = MediaCounts.UNKNOWN.withImages(total.images).withAudioSeconds(total.audioSeconds)
        .withVideoSeconds(total.videoSeconds).withPages(total.pages);
    if (total.images > 0) {
      s.tariff.rateFor(ChargeKind.INPUT_IMAGE, input.total())
          .filter(a -> a.billedAs() == ChargeKind.INPUT_IMAGE && a.rate().unit() == RateUnit.IMAGE
              && !s.tariff.note().isBlank())
          .ifPresent(a -> warnings.add("input images are billed per image: " + s.tariff.note()));
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
      if (input.total() + textSlack > s.model.info().inputTokenLimit() && input.total() <= s.model.info().inputTokenLimit()) {
        warnings.add("at the upper bound of the estimate the input would not fit the context window");
      }
    }
    Money min = price(s, input, 0, media);
    Money expected = price(s, input, outExpected, media);
    Money max = price(s, input.with(Modality.TEXT, input.text() + textSlack), outMax, media);
    long limit = s.model.info().inputTokenLimit();
    boolean fits = input.total() <= limit && perChoice <= outputLimit;
    if (total.unmeasured > 0) {
      // the unmeasured parts may be anything up to the rest of the context window: the most a call the
      // provider accepts can cost bills that rest at the dearest input rate, and it may not fit
      long rest = Math.max(0, limit - input.total());
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
    return new Estimate(s.model.id(), input, fixed, overhead, total.images, outMax, outExpected, min, expected, max,
        limit, outputLimit, perChoice, fits, warnings, total.text, total.messages, total.unmeasured, s.tokenizer,
        textSlack);
  }

  private static Money price(Setup s, Modalities in, long out, MediaCounts media) {
    Usage u = Usage.builder().inputTokens(in.total()).inputImageTokens(in.image()).inputAudioTokens(in.audio())
        .inputVideoTokens(in.video()).inputDocumentTokens(in.document()).outputTokens(out).media(media).build();
    return CostCalculator.price(u, s.tariff).total();
  }

  /**
   * Whether {@code r} fits the model's input limit, counting only as far as the limit: deciding that
   * a 5 MB prompt does not fit costs what counting the limit costs.
   */
  public boolean fits(ChatRequest r, String model) {
    Setup s = setup(r, model);
    long limit = s.model.info().inputTokenLimit();
    Long outLimit = s.model.info().outputTokenLimit();
    if (r.maxOutputTokens() != null && outLimit != null && r.maxOutputTokens() > outLimit) {
      return false;
    }
    List<String> ignored = new ArrayList<>();
    long used = s.fixed(r, ignored);
    BigDecimal ratio = s.textRatio;
    for (Message m : r.messages()) {
      used += s.perMessage.setScale(0, RoundingMode.CEILING).longValueExact();
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
    Setup s = new Setup(model, MediaRules.Resolution.UNSPECIFIED, clock.instant());
    Counts c = new Counts();
    c.text = s.counter.count(text);
    return s.text(c, 0);
  }

  /** An empty conversation for {@code model}, to grow message by message. */
  public Conversation conversation(String model) {
    return new Conversation(this, new Setup(model, MediaRules.Resolution.UNSPECIFIED, clock.instant()));
  }

  /** A conversation holding the messages of {@code r}, each counted once. */
  public Conversation conversation(ChatRequest r, String model) {
    Conversation c = new Conversation(this, setup(r, model));
    c.request = r;
    for (Message m : r.messages()) {
      c.append(m);
    }
    return c;
  }
}
