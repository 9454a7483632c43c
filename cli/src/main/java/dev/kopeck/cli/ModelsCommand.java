package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.pricing.catalog.Catalog;
import dev.kopeck.pricing.catalog.CatalogModel;
import dev.kopeck.pricing.catalog.CatalogProvider;
import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.tariff.PricedModel;
import dev.kopeck.pricing.tariff.Rate;
import dev.kopeck.pricing.tariff.Tariff;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"Lists the models and tariffs known: the tariff tables (bundled, plus any --tariff tables) and the"
        + " catalog of public prices.",
      "kopeck models NAME shows the models whose id holds NAME, and the one a response naming NAME is priced as"
          + " (none: exit 2 with the nearest names); --provider ID lists that provider's catalog models."})
final class ModelsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Mixin Options.Json json;

  @Option(names = "--provider", paramLabel = "ID", description = "The catalog's models of this provider.")
  String provider;

  @Option(names = "--at", paramLabel = "WHEN", converter = Options.DateOrInstant.class,
      description = "Show the catalog prices in force then (a date or an instant); default: now.")
  Instant at;

  @Option(names = "--catalog-info", description = "Say which catalog data is in force: the bundled snapshot or the"
      + " data kopeck catalog update kept, its source, date and checksum.")
  boolean catalogInfo;

  @Parameters(paramLabel = "NAME", arity = "0..1", description = "Part of a model's name to search for.")
  String query;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Instant when = at != null ? at : Instant.now();
    if (catalogInfo) {
      dev.kopeck.pricing.catalog.CatalogStore.Info i = dev.kopeck.pricing.catalog.CatalogStore.standard().inForceInfo();
      if (json.json) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("source", i.source());
        o.put("bundled", i.bundled());
        if (i.pricesAsOf() != null) {
          o.put("prices_as_of", i.pricesAsOf().toString());
        }
        if (i.taken() != null) {
          o.put("taken", i.taken().toString());
          o.put("sha256", i.sha256());
          o.put("file", i.file().toString());
        }
        o.put("providers", i.providers());
        o.put("models", i.models());
        out.println(Output.json(o));
      } else {
        out.printf("catalog in force: %s (%s), %,d providers, %,d models%s%s%n", i.source(), i.bundled()
            ? "the snapshot bundled with Kopeck" : "kept by kopeck catalog update", i.providers(), i.models(),
            i.pricesAsOf() == null ? "" : ", prices as of " + i.pricesAsOf(),
            i.taken() == null ? "" : ", taken " + i.taken() + " (" + i.file() + ", sha256 " + i.sha256() + ")");
      }
      return Main.OK;
    }
    Catalog catalog = tariffs.registry().catalog().orElseThrow(() -> new InputException(null, null,
        "no catalog of public prices is loaded (dev.kopeck:kopeck-tariffs is not on the class path)"));
    if (query == null && provider == null) {
      tables(out, m -> true);
      if (!json.json) {
        int models = catalog.providers().stream().mapToInt(p -> p.models().size()).sum();
        out.printf("%nthe catalog (%s): %,d providers, %,d models, prices in %s; search with kopeck models NAME"
            + " or --provider ID%n", catalog.source(), catalog.providers().size(), models,
            catalog.currency().getCurrencyCode());
      }
      return Main.OK;
    }
    List<CatalogProvider> providers = catalog.providers();
    dev.kopeck.core.model.ModelRegistry registry = tariffs.registry();
    boolean tableProvider = provider != null && tariffs.tables().models().stream()
        .anyMatch(m -> m.provider().equalsIgnoreCase(provider));
    if (provider != null) {
      java.util.Optional<CatalogProvider> cp = catalog.provider(provider);
      if (cp.isEmpty() && !tableProvider) {
        throw new InputException(null, "--provider", "unknown provider \"" + provider + "\"; known: "
            + String.join(", ", registry.providers()));
      }
      providers = cp.map(List::of).orElse(List.of());
    }
    String q = query == null ? "" : query.toLowerCase(Locale.ROOT).trim();
    java.util.function.Predicate<PricedModel> inTables = m -> m.id().toLowerCase(Locale.ROOT).contains(q)
        || m.info().aliases().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).contains(q));
    java.util.function.Predicate<CatalogModel> inCatalog = m -> m.id().toLowerCase(Locale.ROOT).contains(q)
        || m.name().toLowerCase(Locale.ROOT).contains(q);
    java.util.function.Predicate<PricedModel> atProvider = m -> provider == null
        || m.provider().equalsIgnoreCase(provider);
    if (query != null && tariffs.tables().models().stream().noneMatch(inTables.and(atProvider))
        && registry.find(query, provider).isEmpty()
        && providers.stream().flatMap(p -> p.models().stream()).noneMatch(inCatalog)) {
      // nothing holds the name: an error, with the nearest names (a search that finds nothing is no listing)
      List<String> close = registry.closeNames(query, provider);
      throw new InputException(null, null, "no model's id or name holds \"" + query + "\""
          + (provider == null ? "" : " at " + provider) + (close.isEmpty() ? "" : "; did you mean "
          + String.join(", ", close) + "?"));
    }
    if (provider == null || tableProvider) {
      tables(out, inTables.and(atProvider));
    }
    if (query != null && !json.json) {
      // the model a response naming exactly this would be priced as
      catalog.find(query, provider).ifPresent(m -> {
        out.printf("%s is priced as %s at %s (%s)%n", query, m.id(), m.provider(), m.name());
        out.printf("  names: %s%n", m.matchRule());
        if (m.contextWindow() != null) {
          out.printf("  context window: %,d tokens%n", m.contextWindow());
        }
        for (CatalogModel.PriceTerm t : m.priceTerms()) {
          out.printf("  prices %s (%s a million tokens, a thousand requests or searches):%n", t.applies(),
              catalog.currency().getCurrencyCode());
          t.prices().forEach((k, v) -> out.printf("    %-24s %s%n", k, v));
        }
        out.println();
      });
    }
    Table table = Table.of("provider", Table.Align.LEFT, "model", Table.Align.LEFT, "context", Table.Align.RIGHT,
        "input/1M", Table.Align.DECIMAL, "cached/1M", Table.Align.DECIMAL, "output/1M", Table.Align.DECIMAL,
        "currency", Table.Align.LEFT, "other prices", Table.Align.LEFT);
    for (CatalogProvider p : providers) {
      for (CatalogModel m : p.models()) {
        if (!inCatalog.test(m)) {
          continue;
        }
        Map<String, BigDecimal> prices = m.pricesAt(when);
        if (json.json) {
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          o.put("provider", p.id());
          o.put("model", m.id());
          o.put("name", m.name());
          if (m.contextWindow() != null) {
            o.put("context_window", m.contextWindow());
          }
          o.put("currency", catalog.currency().getCurrencyCode());
          ObjectNode po = o.putObject("prices");
          prices.forEach((k, v) -> po.put(k, v.stripTrailingZeros().toPlainString()));
          com.fasterxml.jackson.databind.node.ArrayNode terms = o.putArray("price_terms");
          for (CatalogModel.PriceTerm t : m.priceTerms()) {
            ObjectNode tn = terms.addObject();
            tn.put("applies", t.applies());
            if (t.from() != null) {
              tn.put("from", t.from().toString());
            }
            if (t.startUtc() != null) {
              tn.put("start_utc", t.startUtc().toString());
              tn.put("end_utc", t.endUtc().toString());
            }
            ObjectNode tp = tn.putObject("prices");
            t.prices().forEach((k, v) -> {
              ObjectNode pn = tp.putObject(k);
              pn.put("price", v.base().stripTrailingZeros().toPlainString());
              if (!v.tiers().isEmpty()) {
                com.fasterxml.jackson.databind.node.ArrayNode tiers = pn.putArray("tiers");
                v.tiers().forEach((above, price) -> tiers.addObject().put("above_input_tokens", above)
                    .put("price", price.stripTrailingZeros().toPlainString()));
              }
            });
          }
          out.println(Output.json(o));
        } else {
          Map<String, BigDecimal> rest = new java.util.TreeMap<>(prices);
          BigDecimal in = rest.remove("input_mtok");
          BigDecimal cached = rest.remove("cache_read_mtok");
          BigDecimal outp = rest.remove("output_mtok");
          table.row(p.id(), m.id(), m.contextWindow() == null ? "" : Table.count(m.contextWindow()), plain(in),
              plain(cached), plain(outp), catalog.currency().getCurrencyCode(), priceLine(rest));
        }
      }
    }
    if (!json.json && !table.isEmpty()) {
      table.print(out);
    }
    return Main.OK;
  }

  private static String plain(BigDecimal b) {
    return b == null ? "" : b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
  }

  /** The prices beside input, cache reads and output (each per its unit: _mtok a million tokens, _kcount a thousand). */
  private static String priceLine(Map<String, BigDecimal> prices) {
    StringBuilder sb = new StringBuilder();
    prices.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(v.stripTrailingZeros().toPlainString()));
    return sb.toString();
  }

  private void tables(PrintWriter out, java.util.function.Predicate<PricedModel> which) {
    for (PricedModel m : tariffs.tables().models()) {
      if (!which.test(m)) {
        continue;
      }
      if (!json.json) {
        out.printf("%s  (provider %s; aliases: %s)%n", m.id(), m.provider(),
            m.info().aliases().isEmpty() ? "none" : String.join(", ", m.info().aliases()));
        out.printf("  limits: input %,d tokens, output %s; tokenizer %s; media rules %s%s%n",
            m.info().inputTokenLimit(), m.info().outputTokenLimit() == null ? "not given"
                : String.format("%,d tokens", m.info().outputTokenLimit()),
            m.info().tokenizer() == null ? "none open" : m.info().tokenizer(),
            m.info().mediaRules() == null ? "none known" : m.info().mediaRules(),
            m.info().inputModalities().isEmpty() ? "" : "; takes " + String.join(", ",
                m.info().inputModalities().stream().map(x -> x.jsonName()).toList()));
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
        t.unlisted().stream().sorted().forEach(k -> out.printf("    %-16s not listed by the source%n", k.jsonName()));
        t.tiers().forEach(tier -> {
          out.printf("    above %,d input tokens:%n", tier.aboveInputTokens());
          tier.rates().entrySet().stream().sorted(Map.Entry.comparingByKey())
              .forEach(e -> out.printf("      %-14s %s%n", e.getKey().jsonName(), e.getValue()));
          tier.unlisted().stream().sorted()
              .forEach(k -> out.printf("      %-14s not listed by the source%n", k.jsonName()));
        });
      }
    }
  }

  private static ObjectNode toJson(PricedModel m, Tariff t) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("model", m.id());
    o.put("provider", m.provider());
    o.putPOJO("aliases", m.info().aliases());
    o.put("input_token_limit", m.info().inputTokenLimit());
    if (m.info().outputTokenLimit() != null) {
      o.put("output_token_limit", m.info().outputTokenLimit());
    }
    o.put("tokenizer", m.info().tokenizer());
    o.put("media_rules", m.info().mediaRules());
    o.putPOJO("input_modalities", m.info().inputModalities().stream().map(x -> x.jsonName()).toList());
    o.putPOJO("output_modalities", m.info().outputModalities().stream().map(x -> x.jsonName()).toList());
    o.put("effective_from", t.effectiveFrom().toString());
    o.put("currency", t.currency().getCurrencyCode());
    rates(o.putObject("rates"), t.rates());
    unlisted(o, t.unlisted());
    com.fasterxml.jackson.databind.node.ArrayNode tiers = o.putArray("tiers");
    for (dev.kopeck.pricing.tariff.Tier tier : t.tiers()) {
      ObjectNode tn = tiers.addObject();
      tn.put("above_input_tokens", tier.aboveInputTokens());
      rates(tn.putObject("rates"), tier.rates());
      unlisted(tn, tier.unlisted());
    }
    return o;
  }

  /** Rates by kind, in ChargeKind's order, as the tariff tables write them. */
  private static void rates(ObjectNode into, Map<ChargeKind, Rate> rates) {
    for (ChargeKind k : ChargeKind.values()) {
      Rate r = rates.get(k);
      if (r != null) {
        ObjectNode rn = into.putObject(k.jsonName());
        rn.put("price", r.price().toPlainString());
        rn.put("per", r.per());
        rn.put("unit", r.unit().jsonName());
      }
    }
  }

  /** The kinds whose price the source does not show, when there are some. */
  private static void unlisted(ObjectNode into, java.util.Set<ChargeKind> unlisted) {
    if (!unlisted.isEmpty()) {
      into.putPOJO("unlisted", java.util.Arrays.stream(ChargeKind.values()).filter(unlisted::contains)
          .map(ChargeKind::jsonName).toList());
    }
  }
}
