package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.tariff.ChargeKind;
import dev.kopeck.tariff.PricedModel;
import dev.kopeck.tariff.Rate;
import dev.kopeck.tariff.Tariff;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "models", mixinStandardHelpOptions = true,
    description = "Lists the models and tariffs known (bundled, plus any --tariff tables).")
final class ModelsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Mixin Options.Json json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (PricedModel m : tariffs.catalog().models()) {
      if (!json.json) {
        out.printf("%s  (provider %s; aliases: %s)%n", m.id(), m.provider(),
            m.info().aliases().isEmpty() ? "none" : String.join(", ", m.info().aliases()));
        out.printf("  limits: input %,d tokens, output %,d tokens; tokenizer %s; media rules %s%n",
            m.info().inputTokenLimit(), m.info().outputTokenLimit(), m.info().tokenizer(), m.info().mediaRules());
      }
      for (Tariff t : m.tariffs()) {
        if (json.json) {
          out.println(Output.json(toJson(m, t)));
          continue;
        }
        out.printf("  tariff from %s, %s%n", t.effectiveFrom(), t.currency().getCurrencyCode());
        for (ChargeKind k : ChargeKind.values()) {
          Rate r = t.rates().get(k);
          if (r != null) {
            out.printf("    %-16s %s%n", k.jsonName(), r);
          }
        }
        t.tiers().forEach(tier -> {
          out.printf("    above %,d input tokens:%n", tier.aboveInputTokens());
          tier.rates().entrySet().stream().sorted(Map.Entry.comparingByKey())
              .forEach(e -> out.printf("      %-14s %s%n", e.getKey().jsonName(), e.getValue()));
        });
      }
    }
    return Main.OK;
  }

  private static ObjectNode toJson(PricedModel m, Tariff t) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("model", m.id());
    o.put("provider", m.provider());
    o.putPOJO("aliases", m.info().aliases());
    o.put("input_token_limit", m.info().inputTokenLimit());
    o.put("output_token_limit", m.info().outputTokenLimit());
    o.put("tokenizer", m.info().tokenizer());
    o.put("media_rules", m.info().mediaRules());
    o.put("effective_from", t.effectiveFrom().toString());
    o.put("currency", t.currency().getCurrencyCode());
    ObjectNode rates = o.putObject("rates");
    for (ChargeKind k : ChargeKind.values()) {
      Rate r = t.rates().get(k);
      if (r != null) {
        ObjectNode rn = rates.putObject(k.jsonName());
        rn.put("price", r.price().toPlainString());
        rn.put("per", r.per());
        rn.put("unit", r.unit().jsonName());
      }
    }
    return o;
  }
}
