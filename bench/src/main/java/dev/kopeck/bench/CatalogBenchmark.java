package dev.kopeck.bench;

import dev.kopeck.pricing.catalog.Catalog;
import dev.kopeck.pricing.catalog.CatalogPrice;
import dev.kopeck.pricing.catalog.UnitUsage;
import dev.kopeck.pricing.tariff.TariffSource;
import java.time.Instant;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The catalog: finding a model by the name a response carries (match rules across ~1,700 models,
 * the provider found by the name) and pricing its usage, for names that take the catalog different
 * ways; and reading the whole catalog. bench/genai-prices-timing.mjs times genai-prices' own
 * calcPrice on the same names and usages in Node.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class CatalogBenchmark {
  /** Names as responses carry them, each found another way; the same list as genai-prices-timing.mjs. */
  static final String[] NAMES = {"claude-sonnet-4-5-20250929", "gpt-4o-2024-08-06", "gemini-2.5-flash",
      "deepseek-chat", "mistral-large-latest", "grok-4", "claude-3-5-haiku-latest", "gpt-5-mini"};
  static final UnitUsage USAGE = UnitUsage.of("input_tokens", 1_290, "cache_read_tokens", 512, "output_tokens", 120,
      "output_reasoning_tokens", 40);
  static final Instant AT = Instant.parse("2026-08-21T12:00:00Z");
  /**
   * The same with the counts issue 30 added to what a price reads: audio input (a modality some
   * models have no rate for, noted), citations, web searches and a service tier.
   */
  static final UnitUsage EXTRAS = UnitUsage.of("input_tokens", 1_290, "cache_read_tokens", 512, "input_audio_tokens",
      200, "cache_audio_read_tokens", 0, "output_tokens", 120, "output_reasoning_tokens", 40, "output_citation_tokens", 10,
      "web_searches", 2);

  /** The same usage as Kopeck's reader gives it: what every command and the guard price. */
  static final dev.kopeck.pricing.usage.Usage KOPECK_USAGE = dev.kopeck.pricing.usage.Usage.builder().inputTokens(1_290)
      .cacheReadTokens(512).outputTokens(120).reasoningTokens(40).build();

  Catalog catalog;
  dev.kopeck.core.model.ModelRegistry registry;
  String json;
  int next;

  @Setup
  public void setUp() {
    catalog = Catalog.bundled();
    for (TariffSource s : ServiceLoader.load(TariffSource.class)) {
      for (Map.Entry<String, String> e : s.catalogs().entrySet()) {
        json = e.getValue();
      }
    }
    for (String n : NAMES) {
      catalog.price(USAGE, n, null, AT); // every name is known
      catalog.price(EXTRAS, n, null, AT, "flex");
    }
    registry = dev.kopeck.core.model.ModelRegistry.standard();
    for (String n : NAMES) {
      registry.resolve(n, null).price(KOPECK_USAGE, AT);
    }
  }

  /** The one path every command, the estimator and the guard take: the registry resolves, the model prices. */
  @Benchmark
  public dev.kopeck.pricing.cost.Cost resolveAndPrice() {
    String name = NAMES[next++ & 7];
    return registry.resolve(name, null).price(KOPECK_USAGE, AT);
  }

  @Benchmark
  public CatalogPrice findAndPrice() {
    String name = NAMES[next++ & 7];
    return catalog.price(USAGE, name, null, AT);
  }

  @Benchmark
  public CatalogPrice findAndPriceWithExtras() {
    String name = NAMES[next++ & 7];
    return catalog.price(EXTRAS, name, null, AT, (next & 1) == 0 ? "flex" : "batch");
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 3)
  @Measurement(iterations = 10)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Catalog readTheWholeCatalog() {
    return Catalog.read("bench", json);
  }
}
