package dev.kopeck.bench;

import dev.kopeck.pricing.cost.Cost;
import dev.kopeck.pricing.cost.CostCalculator;
import dev.kopeck.pricing.tariff.Tariff;
import dev.kopeck.pricing.tariff.TariffTables;
import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.UsageParser;
import java.time.Instant;
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

/** Pricing one usage, and parsing one usage from a response body. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
public class CostBenchmark {
  static final String OPENAI_RESPONSE = "{\"id\":\"gen-1\",\"model\":\"google/gemini-2.0-flash-001\","
      + "\"created\":1740000000,\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"}}],"
      + "\"usage\":{\"prompt_tokens\":1290,\"completion_tokens\":120,\"total_tokens\":1410,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":512,\"image_tokens\":258},"
      + "\"completion_tokens_details\":{\"reasoning_tokens\":0},\"cost\":0.0000281}}";

  Tariff tariff;
  Usage usage;

  @Setup
  public void setUp() {
    tariff = TariffTables.bundled().require("google/gemini-2.0-flash-001").tariffAt(Instant.parse("2025-06-01T00:00:00Z"))
        .orElseThrow();
    usage = UsageParser.parse("bench", OPENAI_RESPONSE);
  }

  @Benchmark
  public Cost priceParsedUsage() {
    return CostCalculator.price(usage, tariff);
  }

  @Benchmark
  public Usage parseOpenAiResponse() {
    return UsageParser.parse("bench", OPENAI_RESPONSE);
  }
}
