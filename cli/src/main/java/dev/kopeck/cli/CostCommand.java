package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.catalog.Catalog;
import dev.kopeck.catalog.CatalogPrice;
import dev.kopeck.base.InputException;
import dev.kopeck.base.internal.CloseNames;
import dev.kopeck.cost.Cost;
import dev.kopeck.cost.CostCalculator;
import dev.kopeck.cost.CostLine;
import dev.kopeck.media.MediaRules;
import dev.kopeck.money.ExchangeRates;
import dev.kopeck.money.Money;
import dev.kopeck.tariff.ChargeKind;
import dev.kopeck.tariff.RateUnit;
import dev.kopeck.tariff.PricedModel;
import dev.kopeck.tariff.Tariff;
import dev.kopeck.usage.MediaCounts;
import dev.kopeck.usage.Usage;
import dev.kopeck.usage.UsageFormat;
import dev.kopeck.usage.UsageParser;
import java.io.InputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "cost",
    mixinStandardHelpOptions = true,
    description = {
      "Prices a provider's response or usage with the model's tariff.",
      "Reads OpenAI chat completions and Responses, Anthropic, Gemini, Bedrock and Cohere usages, bare or in a"
          + " response, or a saved event stream. A model in the tariff tables (the router's, --tariff) is priced"
          + " with them; any other, or any model with --provider, with the catalog of public prices (USD)."
    })
final class CostCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Mixin Options.Model model;

  @Option(names = "--provider", paramLabel = "ID",
      description = "Price at this provider (anthropic, openai, google, aws, openrouter, ... as kopeck models lists);"
          + " default: the tariff tables' provider of the model, else the catalog's by the model's name.")
  String provider;

  /** The shapes a user may name: the API each file is known to be from. */
  enum Format {
    OPENAI(UsageFormat.OPENAI), RESPONSES(UsageFormat.OPENAI_RESPONSES), ANTHROPIC(UsageFormat.ANTHROPIC),
    BEDROCK(UsageFormat.BEDROCK), COHERE(UsageFormat.COHERE), GEMINI(UsageFormat.GEMINI);

    final UsageFormat format;

    Format(UsageFormat format) {
      this.format = format;
    }
  }

  @Option(names = "--format", paramLabel = "API",
      description = "The API the files are from, checked against the shape found: openai, responses, anthropic,"
          + " bedrock, cohere, gemini"
          + " (openai covers OpenAI-compatible chat completions: routers, Mistral, Groq, LiteLLM). Default: found"
          + " by shape.")
  Format format;

  @Option(names = "--at", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "When the call was made, a date (2025-03-01, its start in UTC) or an instant"
          + " (2025-03-01T12:00:00Z), to pick the prices in force; default: the response's own time, else now.")
  Instant at;

  @Option(names = "--images", paramLabel = "N", description = "How many images the request held (for per-image rates).")
  Long images;

  @Option(names = "--audio-seconds", paramLabel = "S", description = "Seconds of input audio (for per-second rates).")
  BigDecimal audioSeconds;

  @Option(names = "--video-seconds", paramLabel = "S", description = "Seconds of input video (for per-second rates).")
  BigDecimal videoSeconds;

  @Option(names = "--pages", paramLabel = "N", description = "Document pages (for per-page rates).")
  Long pages;

  @Option(names = "--reported-currency", paramLabel = "CODE",
      description = "The currency of the provider's own charge in the response (usage.cost); default: the"
          + " currency of the prices used (the catalog's is USD, as OpenRouter's credits are).")
  String reportedCurrency;

  @Option(names = "--rates", paramLabel = "FILE",
      description = "Exchange rates (docs/money.md), to compare a charge in another currency with the price.")
  java.nio.file.Path rates;

  @Mixin Options.Json json;

  @Parameters(paramLabel = "FILE", arity = "1..*",
      description = "Responses or usages to price, each on its own; - for standard input.")
  List<String> files;

  InputStream stdin = System.in;

  /**
   * Prices each file; a file that cannot be read or priced is reported on stderr and the others are
   * priced all the same, the exit code 2 at the end.
   */
  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int failed = 0;
    for (String f : files) {
      try {
        ObjectNode o = price(f, out);
        if (o != null) {
          if (files.size() > 1) {
            o.put("file", Inputs.name(f));
          }
          out.println(Output.json(o));
        }
      } catch (InputException e) {
        if (files.size() == 1) {
          throw e;
        }
        err.println("kopeck cost: " + e.getMessage());
        failed++;
      }
    }
    out.flush();
    err.flush();
    return failed == 0 ? Main.OK : Main.BAD_INPUT;
  }

  /** Prices one file: returns its JSON object with --json, else prints it and returns null. */
  private ObjectNode price(String file, PrintWriter out) {
    String name = Inputs.name(file);
    String text = Inputs.text(file, stdin);
    Usage usage = (format == null ? UsageParser.parse(name, text) : UsageParser.parse(name, text, format.format))
        .withMedia(media());
    if (images != null && images == 0 && usage.inputByModality().image() > 0) {
      // the two cannot both be right, and a per-image tariff would bill the tokens as nothing
      throw new InputException(name, "--images", String.format(Locale.ROOT, "0 images, but the usage reports %,d"
          + " image tokens: give the number of images they came from", usage.inputByModality().image()));
    }
    String modelName = model.or(usage.model());
    Instant when = at != null ? at : usage.created() != null ? usage.created() : Instant.now();
    String whenFrom = at != null ? "--at" : usage.created() != null ? "the response" : "now";
    if (!json.json && files.size() > 1) {
      out.println("== " + name);
    }
    try {
      return price(name, text, usage, modelName, when, whenFrom, out);
    } catch (InputException e) {
      if (e.source() != null) {
        throw e;
      }
      // an error that does not know where it is: the file, and where the model or the time came from
      boolean time = e instanceof dev.kopeck.cost.PricingException && tariffs.catalog().find(modelName)
          .map(pm -> pm.tariffAt(when).isEmpty()).orElse(false);
      String where = time ? (at != null ? "--at" : usage.created() == null ? "now" : timeField(usage))
          : model.origin(usage.model(), usage.format() == UsageFormat.GEMINI ? "$.modelVersion" : "$.model");
      throw new InputException(name, where, e.problem(), e);
    }
  }

  /** The field a usage's time was read from. */
  private static String timeField(Usage usage) {
    return switch (usage.format()) {
      case GEMINI -> "$.createTime";
      case OPENAI_RESPONSES -> "$.created_at";
      default -> "$.created";
    };
  }

  private ObjectNode price(String name, String text, Usage usage, String modelName, Instant when, String whenFrom,
      PrintWriter out) {
    Optional<PricedModel> table = tariffs.catalog().find(modelName)
        .filter(pm -> provider == null || pm.provider().equalsIgnoreCase(provider));
    if (table.isPresent() || provider == null && Catalog.bundled().find(modelName, null).isEmpty()) {
      PricedModel pm = table.orElseGet(() -> unknown(modelName));
      Optional<String> warning = overContext(usage, pm.id(), pm.info().inputTokenLimit());
      Long inferred = imagesToInfer(usage, pm, when);
      if (inferred != null) {
        usage = usage.withMedia(usage.media().withImages(inferred));
      }
      Cost cost = CostCalculator.price(usage, pm, when);
      Charge charge = charge(usage, cost.total().currency(), when);
      if (!json.json) {
        print(out, pm, usage, cost);
        if (charge != null) {
          out.println(charge.line(cost.total(), "tariff's"));
        }
        byok(usage, out);
        if (inferred != null) {
          out.printf("images: %d, inferred from %,d image tokens at %d an image; give --images N for the count%n",
              inferred, usage.inputByModality().image(), perImage(pm));
        }
        imageNote(cost).ifPresent(n -> out.println("note: " + n));
        out.println("priced at " + when + " (from " + whenFrom + ")");
        warning.ifPresent(w -> out.println("warning: " + w));
        return null;
      }
      ObjectNode o = toJson(pm, usage, cost);
      if (charge != null) {
        charge.put(o, cost.total(), "reported_minus_tariff");
      }
      byok(usage, o);
      if (inferred != null) {
        o.put("images_inferred", inferred);
      }
      imageNote(cost).ifPresent(n -> o.put("note", n));
      o.put("priced_at", when.toString());
      o.put("priced_at_from", whenFrom);
      warning.ifPresent(w -> o.put("warning", w));
      return o;
    }
    Catalog catalog = Catalog.bundled();
    dev.kopeck.catalog.CatalogModel cm = catalog.require(modelName, provider);
    Optional<String> warning = cm.contextWindow() == null ? Optional.empty()
        : overContext(usage, cm.id(), cm.contextWindow());
    CatalogPrice price = catalog.price(catalog.usageOf(usage, modelName, provider, name, text), modelName, provider,
        when);
    Charge charge = charge(usage, price.currency(), when);
    Money total = Money.of(price.total(), price.currency());
    if (!json.json) {
      print(out, catalog, price, when, whenFrom);
      if (charge != null) {
        out.println(charge.line(total, "catalog's"));
      }
      byok(usage, out);
      warning.ifPresent(w -> out.println("warning: " + w));
      return null;
    }
    ObjectNode o = toJson(catalog, price, when, whenFrom);
    if (charge != null) {
      charge.put(o, total, "reported_minus_catalog");
    }
    byok(usage, o);
    warning.ifPresent(w -> o.put("warning", w));
    return o;
  }

  /**
   * A usage whose input is more than the model's context window holds: a wrong count, the wrong
   * model, or a window larger than the data knows (Anthropic's 1M-token beta). Priced, and said.
   */
  private static Optional<String> overContext(Usage usage, String model, long window) {
    return usage.inputTokens() <= window ? Optional.empty() : Optional.of(String.format(Locale.ROOT,
        "%,d input tokens is more than %s's context window (%,d tokens): check the count and the model",
        usage.inputTokens(), model, window));
  }

  /** OpenRouter on your own key: its fee apart from the upstream charge, which is what the price is compared with. */
  private static void byok(Usage usage, PrintWriter out) {
    if (usage.byok()) {
      out.println("on your own key (is_byok): OpenRouter's fee " + (usage.reportedCost() == null ? "not given"
          : usage.reportedCost().toPlainString()) + " is apart; the upstream provider's charge is the one compared");
    }
  }

  private static void byok(Usage usage, ObjectNode o) {
    if (usage.byok()) {
      o.put("byok", true);
      if (usage.reportedCost() != null) {
        o.put("openrouter_fee", usage.reportedCost().toPlainString());
      }
    }
  }

  /** A model neither the tables nor the catalog know: the error, with close names from both. */
  private PricedModel unknown(String name) {
    List<String> names = new java.util.ArrayList<>();
    tariffs.catalog().models().forEach(m -> {
      names.add(m.id());
      names.addAll(m.info().aliases());
    });
    Catalog.bundled().providers().forEach(p -> p.models().forEach(m -> names.add(m.id())));
    List<String> close = CloseNames.among(name, new java.util.LinkedHashSet<>(names), 5);
    throw new InputException(null, null, "unknown model \"" + name + "\": neither the tariff tables nor the catalog"
        + " know it" + (close.isEmpty() ? "; run `kopeck models NAME` to search" : "; did you mean "
        + String.join(", ", close) + "?"));
  }

  /**
   * A tariff that bills images per image needs their number, which usages do not carry. When only
   * the image tokens are known, the model's media rules say how many tokens one image costs at the
   * least (258 for Gemini 2.0), and the images are that many at the most; said in the output.
   */
  private Long imagesToInfer(Usage usage, PricedModel pm, Instant when) {
    if (usage.media().images() != null || usage.inputByModality().image() == 0 || pm.info().mediaRules() == null) {
      return null;
    }
    boolean perImage = pm.tariffAt(when).flatMap(t -> t.rateFor(ChargeKind.INPUT_IMAGE, usage.inputTokens()))
        .map(a -> a.billedAs() == ChargeKind.INPUT_IMAGE && a.rate().unit() == RateUnit.IMAGE).orElse(false);
    if (!perImage) {
      return null;
    }
    long per = perImage(pm);
    return (usage.inputByModality().image() + per - 1) / per;
  }

  private static long perImage(PricedModel pm) {
    return MediaRules.require(pm.info().mediaRules()).imageTokens(1, 1, MediaRules.Detail.AUTO,
        MediaRules.Resolution.UNSPECIFIED);
  }

  /** The tariff's note, when it bills images: why it bills them as it does. */
  private static Optional<String> imageNote(Cost cost) {
    boolean images = cost.lines().stream().anyMatch(l -> l.kind() == ChargeKind.INPUT_IMAGE
        && l.amount().signum() > 0);
    return images && !cost.tariff().note().isBlank() ? Optional.of(cost.tariff().note()) : Optional.empty();
  }

  static ObjectNode toJson(Catalog catalog, CatalogPrice p, Instant when, String whenFrom) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("model", p.model());
    o.put("provider", p.provider());
    o.put("currency", p.currency().getCurrencyCode());
    o.put("prices_from", catalog.source());
    o.put("priced_at", when.toString());
    o.put("priced_at_from", whenFrom);
    o.put("total", plain(p.total()));
    o.put("input", plain(p.input()));
    o.put("output", plain(p.output()));
    ArrayNode lines = o.putArray("lines");
    for (CatalogPrice.Line l : p.lines()) {
      ObjectNode ln = lines.addObject();
      ln.put("usage_key", l.usageKey());
      ln.put("price_key", l.priceKey());
      ln.put("quantity", plain(l.quantity()));
      ln.put("price", plain(l.price()));
      ln.put("per", plain(l.per()));
      ln.put("amount", plain(l.amount()));
    }
    return o;
  }

  private static void print(PrintWriter out, Catalog catalog, CatalogPrice p, Instant when, String whenFrom) {
    String cur = p.currency().getCurrencyCode();
    out.printf("%s at %s, public prices from %s in force at %s (from %s), %s%n", p.model(), p.provider(),
        catalog.source(), when, whenFrom, cur);
    out.printf("%-26s %14s  %-22s %s%n", "component", "quantity", "price", "amount");
    for (CatalogPrice.Line l : p.lines()) {
      if (l.quantity().signum() == 0) {
        continue;
      }
      out.printf("%-26s %14s  %-22s %s%n", l.usageKey(), String.format(Locale.ROOT, "%,.0f", l.quantity()),
          plain(l.price()) + " per " + perName(l.per()), plain(l.amount()));
    }
    out.printf("%-26s %14s  %-22s %s %s%n", "total", "", "", plain(p.total()), cur);
  }

  private static String perName(BigDecimal per) {
    return per.compareTo(BigDecimal.valueOf(1_000_000)) == 0 ? "1M" : per.compareTo(BigDecimal.valueOf(1_000)) == 0
        ? "1K" : plain(per);
  }

  private static String plain(BigDecimal b) {
    return b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
  }

  private MediaCounts media() {
    MediaCounts m = MediaCounts.UNKNOWN;
    if (images != null) {
      m = m.withImages(nonNegative("--images", images));
    }
    if (audioSeconds != null) {
      m = m.withAudioSeconds(nonNegative("--audio-seconds", audioSeconds));
    }
    if (videoSeconds != null) {
      m = m.withVideoSeconds(nonNegative("--video-seconds", videoSeconds));
    }
    if (pages != null) {
      m = m.withPages(nonNegative("--pages", pages));
    }
    return m;
  }

  private <T extends Comparable<T>> T nonNegative(String option, T v) {
    boolean negative = v instanceof BigDecimal ? ((BigDecimal) v).signum() < 0 : ((Long) v) < 0;
    if (negative) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " must not be negative: " + v);
    }
    return v;
  }

  static ObjectNode toJson(PricedModel pm, Usage usage, Cost cost) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    Tariff t = cost.tariff();
    o.put("model", pm.id());
    o.put("provider", pm.provider());
    o.put("currency", t.currency().getCurrencyCode());
    o.put("tariff_effective_from", t.effectiveFrom().toString());
    o.put("total", cost.total().toPlainString());
    o.put("total_display", cost.total().display());
    ArrayNode lines = o.putArray("lines");
    for (CostLine l : cost.lines()) {
      ObjectNode ln = lines.addObject();
      ln.put("kind", l.kind().jsonName());
      if (l.billedAs() != l.kind()) {
        ln.put("billed_as", l.billedAs().jsonName());
      }
      ln.put("tokens", l.tokens());
      ln.put("quantity", l.quantity().toPlainString());
      ln.put("unit", l.rate().unit().jsonName());
      ln.put("per", l.rate().per());
      ln.put("rate", l.rate().price().toPlainString());
      ln.put("amount", l.amount().stripTrailingZeros().toPlainString());
    }
    ObjectNode u = o.putObject("usage");
    u.put("input_tokens", usage.inputTokens());
    u.put("output_tokens", usage.outputTokens());
    u.put("cache_read_tokens", usage.cacheReadTokens());
    u.put("cache_write_tokens", usage.cacheWriteTokens());
    u.put("reasoning_tokens", usage.reasoningTokens());
    if (usage.reportedTotalTokens() != null) {
      u.put("reported_total_tokens", usage.reportedTotalTokens());
    }
    return o;
  }

  private static void print(PrintWriter out, PricedModel pm, Usage usage, Cost cost) {
    Tariff t = cost.tariff();
    String cur = t.currency().getCurrencyCode();
    out.printf("%s at %s, tariff from %s (%s)%n", pm.id(), pm.provider(), t.effectiveFrom(), cur);
    out.printf("%-16s %12s  %-26s %s%n", "component", "tokens", "rate", "amount");
    for (CostLine l : cost.lines()) {
      String kind = l.billedAs() == l.kind() ? l.kind().jsonName() : l.kind().jsonName() + "*";
      String qty = l.rate().unit() == RateUnit.TOKEN
          ? String.format("%,d", l.tokens()) : l.quantity().toPlainString() + " " + l.rate().unit().jsonName()
          + (l.quantity().compareTo(BigDecimal.ONE) == 0 ? "" : "s");
      out.printf("%-16s %12s  %-26s %s%n", kind, qty, l.rate().toString(), l.amount().stripTrailingZeros().toPlainString());
    }
    out.printf("%-16s %12s  %-26s %s %s  (%s rounded half-up)%n", "total", String.format("%,d",
        usage.inputTokens() + usage.outputTokens()), "", cost.total().toPlainString(), cur, cost.total().display());
    if (cost.lines().stream().anyMatch(l -> l.billedAs() != l.kind())) {
      out.println("* billed at the rate of " + String.join(", ", cost.lines().stream()
          .filter(l -> l.billedAs() != l.kind())
          .map(l -> l.kind().jsonName() + " → " + l.billedAs().jsonName()).toList())
          + " (the tariff has no rate of its own)");
    }
  }

  /**
   * The provider's own charge (usage.cost): in its currency, and in the price's currency when the
   * two are the same or a rate is given; {@code comparable} is null otherwise.
   */
  record Charge(Money reported, Money comparable, ExchangeRates.Rate rate) {
    String line(Money total, String whose) {
      String r = reported.toPlainString() + (rate == null && comparable != null ? ""
          : " " + reported.currency().getCurrencyCode());
      if (comparable == null) {
        return "reported by the provider: " + r + " (the price is in " + total.currency().getCurrencyCode()
            + "; give --rates FILE to compare)";
      }
      String at = rate == null ? "" : " = " + comparable.toPlainString() + " " + total.currency().getCurrencyCode()
          + " at " + rate.rate().toPlainString() + " of " + rate.date();
      return "reported by the provider: " + r + at + " (" + (comparable.compareTo(total) == 0 ? "equals the " + whose
          : "differs from the " + whose + " by " + comparable.minus(total).toPlainString()) + ")";
    }

    void put(ObjectNode o, Money total, String diffField) {
      o.put("reported_cost", reported.toPlainString());
      o.put("reported_currency", reported.currency().getCurrencyCode());
      if (rate != null) {
        ObjectNode x = o.putObject("exchange_rate");
        x.put("from", rate.from().getCurrencyCode());
        x.put("to", rate.to().getCurrencyCode());
        x.put("rate", rate.rate().toPlainString());
        x.put("date", rate.date().toString());
      }
      if (comparable != null) {
        o.put(diffField, comparable.minus(total).toPlainString());
      }
    }
  }

  private ExchangeRates exchangeRates;

  /** The --rates file, read once for all the files priced. */
  private ExchangeRates exchangeRates() {
    if (exchangeRates == null) {
      exchangeRates = rates == null ? ExchangeRates.none() : ExchangeRates.read(rates);
    }
    return exchangeRates;
  }

  private Charge charge(Usage usage, java.util.Currency priced, Instant when) {
    if (usage.tokensCharge() == null) {
      return null;
    }
    java.util.Currency in;
    try {
      in = reportedCurrency == null ? priced : java.util.Currency.getInstance(reportedCurrency.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InputException(null, "--reported-currency", "not an ISO 4217 currency code: \"" + reportedCurrency + "\"");
    }
    Money reported = Money.of(usage.tokensCharge(), in);
    if (in.equals(priced)) {
      return new Charge(reported, reported, null);
    }
    Optional<ExchangeRates.Rate> rate = exchangeRates().rate(in, priced, when);
    return rate.map(r -> new Charge(reported, r.convert(usage.tokensCharge()), r))
        .orElseGet(() -> new Charge(reported, null, null));
  }
}
