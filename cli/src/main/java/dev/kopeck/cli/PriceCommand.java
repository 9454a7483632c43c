package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.core.model.ModelRegistry;
import dev.kopeck.pricing.usage.Usage;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "price", mixinStandardHelpOptions = true,
    description = {"Prices token counts for a model in one line, from the same registry every command uses: the"
        + " tariff tables, then the catalog of public prices.",
      "kopeck price gpt-4o --input-tokens 1000 --output-tokens 100; --compare MODEL... prices the same counts for"
          + " several models side by side, cheapest first (costs in different currencies are grouped, never"
          + " compared)."})
final class PriceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Mixin Options.Json json;

  @Parameters(paramLabel = "MODEL", description = "The model to price.")
  String model;

  @Option(names = "--provider", paramLabel = "ID", description = "Where the model is priced (openai, anthropic,"
      + " google, groq, routerai ...); default: where the registry finds it.")
  String provider;

  @Option(names = "--input-tokens", paramLabel = "N", required = true, description = "Input tokens, cached ones included.")
  long input;

  @Option(names = "--output-tokens", paramLabel = "N", defaultValue = "0", description = "Output tokens (default 0).")
  long output;

  @Option(names = "--cached-tokens", paramLabel = "N", defaultValue = "0",
      description = "How many of the input tokens were read from the provider's cache (default 0).")
  long cached;

  @Option(names = "--at", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "The prices in force then (a date or an instant); default: now.")
  Instant at;

  @Option(names = "--compare", paramLabel = "MODEL", arity = "1..*",
      description = "More models to price the same counts with, side by side.")
  List<String> compare = new ArrayList<>();

  @Override
  public Integer call() {
    for (String[] o : new String[][] {{"--input-tokens", String.valueOf(input)},
        {"--output-tokens", String.valueOf(output)}, {"--cached-tokens", String.valueOf(cached)}}) {
      if (Long.parseLong(o[1]) < 0) {
        throw new InputException(null, o[0], "must not be negative: " + o[1]);
      }
    }
    if (cached > input) {
      throw new InputException(null, "--cached-tokens", String.format(Locale.ROOT, "%,d is more than the %,d input"
          + " tokens it is part of", cached, input));
    }
    Usage usage = Usage.builder().inputTokens(input).cacheReadTokens(cached).outputTokens(output).build();
    Instant when = at != null ? at : Instant.now();
    List<String> names = new ArrayList<>();
    names.add(model);
    names.addAll(compare);
    List<ModelRegistry.Priced> priced = tariffs.registry().compare(names, provider, usage, when);
    PrintWriter out = spec.commandLine().getOut();
    if (json.json) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      for (ModelRegistry.Priced p : priced) {
        ObjectNode o = CostCommand.toJson(p.cost(), usage, when, at != null ? "--at" : "now");
        o.put("name", names.stream().filter(n -> tariffs.registry().resolve(n, provider) == p.model()).findFirst()
            .orElse(p.model().id()));
        a.add(o);
      }
      out.println(Output.json(compare.isEmpty() ? a.get(0) : a));
      return Main.OK;
    }
    if (compare.isEmpty()) {
      ModelRegistry.Priced p = priced.get(0);
      out.printf("%s at %s: %s %s (%s in%s, %s out; %s)%n", p.model().id(), p.model().provider(),
          p.cost().total().toPlainString(), p.cost().currency().getCurrencyCode(), Table.count(input),
          cached == 0 ? "" : " of which " + Table.count(cached) + " cached", Table.count(output),
          p.cost().tariff() != null ? "tariff " + p.cost().pricesFrom() : "public prices " + p.cost().pricesFrom());
      p.cost().notes().forEach(n -> out.println("note: " + n));
      return Main.OK;
    }
    Table t = Table.of("model", Table.Align.LEFT, "provider", Table.Align.LEFT, "input", Table.Align.DECIMAL,
        "output", Table.Align.DECIMAL, "total", Table.Align.DECIMAL, "currency", Table.Align.LEFT);
    for (ModelRegistry.Priced p : priced) {
      t.row(p.model().id(), p.model().provider(), p.cost().input().toPlainString(), p.cost().output().toPlainString(),
          p.cost().total().toPlainString(), p.cost().currency().getCurrencyCode());
    }
    t.print(out);
    out.printf("for %s in%s, %s out, at %s%n", Table.count(input), cached == 0 ? ""
        : " (" + Table.count(cached) + " cached)", Table.count(output), when);
    return Main.OK;
  }
}
