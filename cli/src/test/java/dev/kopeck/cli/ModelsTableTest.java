package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** kopeck models --provider: a table of prices per million tokens, columns as wide as their longest cell. */
class ModelsTableTest {
  @Test
  void aProvidersModelsAsATable() {
    CliTest.Result r = CliTest.run("models", "--provider", "openai", "--at", "2026-06-01", "gpt-4o");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().filter(l -> l.startsWith("provider") || l.startsWith("openai ")).toList();
    assertThat(lines.get(0)).matches("provider +model +context +input/1M +cached/1M +output/1M +currency +other prices");
    String gpt4o = lines.stream().filter(l -> l.matches("openai +gpt-4o .*")).findFirst().orElseThrow();
    assertThat(gpt4o).matches("openai +gpt-4o +128,000 +2\\.5 +1\\.25 +10 +USD +.*web_searches_kcount 10.*");
    // every row as long as its columns are wide: the provider column fits "huggingface_fireworks-ai" too
    int start = lines.get(0).indexOf("model");
    assertThat(lines).allMatch(l -> l.length() > start && l.charAt(start - 1) == ' ');
  }
}
