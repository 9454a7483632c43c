package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.cost.Cost;
import dev.kopeck.cost.CostCalculator;
import dev.kopeck.cost.CostLine;
import dev.kopeck.money.Money;
import dev.kopeck.tariff.PricedModel;
import dev.kopeck.tariff.Tariff;
import dev.kopeck.usage.MediaCounts;
import dev.kopeck.usage.Usage;
import dev.kopeck.usage.UsageParser;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "cost",
    mixinStandardHelpOptions = true,
    description = {
      "Prices a provider's response or usage with the model's tariff.",
      "Reads an OpenAI-compatible response or usage, Gemini's usageMetadata, or a saved event stream."
    })
final class CostCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Mixin Options.Model model;

  @Option(names = "--at", paramLabel = "INSTANT",
      description = "When the call was made (2025-03-01T12:00:00Z), to pick the tariff in force; "
          + "default: the response's own time, else now.")
  Instant at;

  @Option(names = "--images", paramLabel = "N", description = "How many images the request held (for per-image rates).")
  Long images;

  @Option(names = "--audio-seconds", paramLabel = "S", description = "Seconds of input audio (for per-second rates).")
  BigDecimal audioSeconds;

  @Option(names = "--video-seconds", paramLabel = "S", description = "Seconds of input video (for per-second rates).")
  BigDecimal videoSeconds;

  @Option(names = "--pages", paramLabel = "N", description = "Document pages (for per-page rates).")
  Long pages;

  @Mixin Options.Json json;

  @Mixin Options.Input input;

  @Override
  public Integer call() {
    Usage usage = UsageParser.parse(input.name(), input.text()).withMedia(media());
    PricedModel pm = tariffs.catalog().require(model.or(usage.model()));
    Instant when = at != null ? at : usage.created() != null ? usage.created() : Instant.now();
    Cost cost = CostCalculator.price(usage, pm, when);
    PrintWriter out = spec.commandLine().getOut();
    if (json.json) {
      out.println(Output.json(toJson(pm, usage, cost)));
    } else {
      print(out, pm, usage, cost);
    }
    return Main.OK;
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
    if (usage.reportedCost() != null) {
      Money reported = Money.of(usage.reportedCost(), t.currency());
      o.put("reported_cost", reported.toPlainString());
      o.put("reported_minus_tariff", reported.minus(cost.total()).toPlainString());
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
      String qty = l.rate().unit() == dev.kopeck.tariff.RateUnit.TOKEN
          ? String.format("%,d", l.tokens()) : l.quantity().toPlainString() + " " + l.rate().unit().jsonName();
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
    if (usage.reportedCost() != null) {
      Money reported = Money.of(usage.reportedCost(), t.currency());
      out.printf("reported by the provider: %s (%s the tariff's: %s)%n", reported.toPlainString(),
          reported.compareTo(cost.total()) == 0 ? "equals" : "differs from", reported.minus(cost.total()).toPlainString());
    }
  }
}
