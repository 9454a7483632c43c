package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.pricing.cost.Cost;
import dev.kopeck.pricing.cost.CostLine;
import dev.kopeck.pricing.cost.ReportedCharge;
import dev.kopeck.core.model.Model;
import dev.kopeck.core.model.ModelRegistry;
import dev.kopeck.pricing.money.ExchangeRates;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.usage.MediaCounts;
import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.UsageFormat;
import dev.kopeck.pricing.usage.UsageParser;
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
          + " response, or a saved event stream. The model is resolved as every command resolves it: the tariff"
          + " tables (the router's, --tariff) first, then the catalog of public prices (USD); --provider picks where.",
      "A body that names no model (Bedrock, Cohere, a bare usage) needs --model (or $KOPECK_DEFAULT_MODEL)."
    })
final class CostCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Mixin Options.Model model;

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

  @Option(names = "--currency", paramLabel = "CODE",
      description = "Also show the price in this currency, converted exactly at the rate of --rates in force at the"
          + " call's time.")
  String currency;

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
    if (!json.json && files.size() > 1 && !totals.isEmpty()) {
      out.println("== total of " + Output.count(files.size() - failed, "file") + ": " + String.join(" + ",
          totals.values().stream().map(t -> t.toPlainString() + " " + t.currency().getCurrencyCode()).toList()));
    }
    out.flush();
    err.flush();
    return failed == 0 ? Main.OK : Main.BAD_INPUT;
  }

  /** Totals of every file priced, by currency, for the grand total of several files. */
  private final java.util.Map<java.util.Currency, Money> totals = new java.util.LinkedHashMap<>();

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
    ModelRegistry registry = tariffs.registry();
    String modelField = usage.format() == UsageFormat.GEMINI ? "$.modelVersion" : "$.model";
    Model m;
    try {
      m = registry.forUsage(usage, model.model, model.provider);
    } catch (InputException e) {
      throw new InputException(name, usage.model() == null && model.model == null ? null
          : model.origin(usage.model(), modelField), e.problem(), e);
    }
    Instant when = at != null ? at : usage.created() != null ? usage.created() : Instant.now();
    String whenFrom = at != null ? "--at" : usage.created() != null ? "the response" : "now";
    if (!json.json && files.size() > 1) {
      out.println("== " + name);
    }
    Cost cost;
    try {
      cost = m.price(usage, when, name, text);
    } catch (InputException e) {
      if (e.source() != null) {
        throw e;
      }
      String where = !m.pricedAt(when) ? (at != null ? "--at" : usage.created() == null ? "now" : timeField(usage))
          : "$.usage";
      throw new InputException(name, where, e.problem(), e);
    }
    totals.merge(cost.currency(), cost.total(), Money::plus);
    Optional<String> warning = m.overContext(usage);
    Optional<ReportedCharge> charge = ReportedCharge.of(usage, reportedCurrency(), cost.currency(), exchangeRates(),
        when);
    String whose = cost.source() == Cost.Source.CATALOG ? "catalog's" : "tariff's";
    Optional<ExchangeRates.Converted> conv = converted(cost, when); // before anything is printed: it may refuse
    if (!json.json) {
      print(out, cost, usage, when, whenFrom);
      charge.ifPresent(c -> out.println(c.describe(cost.total(), whose)));
      byok(usage, out);
      conv.ifPresent(c -> out.println("in " + c.amount().currency().getCurrencyCode() + ": "
          + c.amount().toPlainString() + (c.rate() == null ? "" : " at " + c.rate().rate().toPlainString() + " "
          + c.rate().to().getCurrencyCode() + " a " + c.rate().from().getCurrencyCode() + " of " + c.rate().date())));
      cost.notes().forEach(n -> out.println(n.startsWith("images:") ? n : "note: " + n));
      imageNote(cost).ifPresent(n -> out.println("note: " + n));
      out.println("priced at " + when + " (from " + whenFrom + ")");
      warning.ifPresent(w -> out.println("warning: " + w));
      return null;
    }
    ObjectNode o = toJson(cost, usage, when, whenFrom);
    charge.ifPresent(c -> {
      o.put("reported_cost", c.reported().toPlainString());
      o.put("reported_currency", c.reported().currency().getCurrencyCode());
      if (c.rate() != null) {
        ObjectNode x = o.putObject("exchange_rate");
        x.put("from", c.rate().from().getCurrencyCode());
        x.put("to", c.rate().to().getCurrencyCode());
        x.put("rate", c.rate().rate().toPlainString());
        x.put("date", c.rate().date().toString());
      }
      c.minus(cost.total()).ifPresent(d -> o.put("reported_minus_price", d.toPlainString()));
    });
    conv.ifPresent(c -> Options.putConverted(o, c));
    byok(usage, o);
    imageNote(cost).ifPresent(n -> o.withArray("notes").add(n));
    warning.ifPresent(w -> o.put("warning", w));
    return o;
  }

  /** The field a usage's time was read from. */
  private static String timeField(Usage usage) {
    return switch (usage.format()) {
      case GEMINI -> "$.createTime";
      case OPENAI_RESPONSES -> "$.created_at";
      default -> "$.created";
    };
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

  /** The tariff's note, when it bills images: why it bills them as it does. */
  private static Optional<String> imageNote(Cost cost) {
    boolean images = cost.tariff() != null && cost.lines().stream().anyMatch(l -> l.component().equals(
        ChargeKind.INPUT_IMAGE.jsonName()) && l.amount().signum() > 0);
    return images && !cost.tariff().note().isBlank() ? Optional.of(cost.tariff().note()) : Optional.empty();
  }

  /**
   * The one JSON shape of a cost, whichever source priced it (docs/usage.md#cost-json): model,
   * provider, currency, source, prices_from, total (exact) and total_display, lines, usage, notes.
   */
  static ObjectNode toJson(Cost cost, Usage usage, Instant when, String whenFrom) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("model", cost.model());
    o.put("provider", cost.provider());
    o.put("currency", cost.currency().getCurrencyCode());
    o.put("source", cost.source().jsonName());
    o.put("prices_from", cost.pricesFrom());
    if (cost.tariff() != null) {
      o.put("tariff_effective_from", cost.tariff().effectiveFrom().toString());
    }
    o.put("priced_at", when.toString());
    o.put("priced_at_from", whenFrom);
    o.put("total", cost.total().toPlainString());
    o.put("total_display", cost.total().display());
    o.put("input", cost.input().toPlainString());
    o.put("output", cost.output().toPlainString());
    ArrayNode lines = o.putArray("lines");
    for (CostLine l : cost.lines()) {
      ObjectNode ln = lines.addObject();
      ln.put("component", l.component());
      if (l.fallback()) {
        ln.put("billed_as", l.billedAs());
      }
      ln.put("tokens", l.tokens());
      ln.put("quantity", plain(l.quantity()));
      ln.put("unit", l.unit());
      ln.put("price", plain(l.price()));
      ln.put("per", plain(l.per()));
      ln.put("amount", plain(l.amount()));
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
    ArrayNode notes = o.putArray("notes");
    cost.notes().forEach(notes::add);
    return o;
  }

  private static void print(PrintWriter out, Cost cost, Usage usage, Instant when, String whenFrom) {
    String cur = cost.currency().getCurrencyCode();
    if (cost.tariff() != null) {
      out.printf("%s at %s, tariff from %s (%s)%n", cost.model(), cost.provider(), cost.tariff().effectiveFrom(), cur);
    } else {
      out.printf("%s at %s, public prices from %s (%s)%n", cost.model(), cost.provider(), cost.pricesFrom(), cur);
    }
    Table t = Table.of("component", Table.Align.LEFT, "quantity", Table.Align.RIGHT, "price", Table.Align.LEFT,
        "amount", Table.Align.DECIMAL);
    for (CostLine l : cost.lines()) {
      String qty = l.unit().equals("token") ? Table.count(l.quantity().longValue())
          : plain(l.quantity()) + " " + l.unit() + (l.quantity().compareTo(BigDecimal.ONE) == 0 ? "" : "s");
      t.row(l.fallback() ? l.component() + "*" : l.component(), qty, l.priceText(), plain(l.amount()));
    }
    t.row("total", Table.count(usage.inputTokens() + usage.outputTokens()), "",
        cost.total().toPlainString() + " " + cur + "  (" + cost.total().display() + " rounded half-up)");
    t.print(out);
    if (cost.lines().stream().anyMatch(CostLine::fallback)) {
      out.println("* billed at the price of " + String.join(", ", cost.lines().stream().filter(CostLine::fallback)
          .map(l -> l.component() + " → " + l.billedAs()).toList()) + " (the prices have none of its own)");
    }
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

  private ExchangeRates exchangeRates;

  /** The --rates file, read once for all the files priced. */
  private ExchangeRates exchangeRates() {
    if (exchangeRates == null) {
      exchangeRates = rates == null ? ExchangeRates.none() : ExchangeRates.read(rates);
    }
    return exchangeRates;
  }

  /** The price in --currency, when asked for. */
  private Optional<ExchangeRates.Converted> converted(Cost cost, Instant when) {
    if (currency == null) {
      return Optional.empty();
    }
    return Optional.of(exchangeRates().convert(cost.total(), Options.currency("--currency", currency), when));
  }

  private java.util.Currency reportedCurrency() {
    if (reportedCurrency == null) {
      return null;
    }
    try {
      return java.util.Currency.getInstance(reportedCurrency.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InputException(null, "--reported-currency", "not an ISO 4217 currency code: \"" + reportedCurrency + "\"");
    }
  }
}
