package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kopeck catalog update|info}: the command around CatalogStore (tested in tariffs' CatalogStoreTest). */
class CatalogCommandTest {
  @TempDir Path dir;

  /** Published data (genai-prices' format: constraints without their type), with a price dated after the bundled ones. */
  static final String DATA = """
      [{"id": "acme", "name": "Acme", "api_pattern": "https://api\\\\.acme\\\\.test", "description": "left out",
        "models": [{"id": "acme-1", "match": {"equals": "acme-1"}, "prices": [
          {"prices": {"input_mtok": 1, "output_mtok": 2}},
          {"constraint": {"start_date": "2030-01-01"}, "prices": {"input_mtok": 0.5, "output_mtok": 1}}]}]}]
      """;

  @Test
  void updateFromAFileThenInfo() throws Exception {
    Path data = dir.resolve("data.json");
    Files.writeString(data, DATA, StandardCharsets.UTF_8);
    CliTest.Result r = CliTest.run("catalog", "update", "--cache", dir.toString(), "--from", data.toString());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("updated: " + data + "\n").contains("prices as of: 2030-01-01; 1 provider, 1 model");
    JsonNode info = new ObjectMapper().readTree(CliTest.run("catalog", "info", "--json", "--cache", dir.toString()).out());
    assertThat(info.get("source").asText()).isEqualTo(data.toString());
    assertThat(info.get("bundled").asBoolean()).isFalse();
    assertThat(info.get("file").asText()).isEqualTo(dir.resolve("catalog/genai-prices.json").toString());
  }

  @Test
  void withNothingKeptTheBundledSnapshotIsInForce() {
    CliTest.Result r = CliTest.run("catalog", "info", "--cache", dir.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("in force: @pydantic/genai-prices@0.1.8 (the bundled snapshot)\n");
    // counts as every table prints them: with thousands separators
    assertThat(r.out()).containsPattern("; \\d+ providers, \\d,\\d{3} models\n");
  }

  @Test
  void aDamagedFileIsOneLineAndExitTwo() throws Exception {
    Path data = dir.resolve("cut.json");
    Files.writeString(data, DATA.substring(0, 80), StandardCharsets.UTF_8);
    CliTest.Result r = CliTest.run("catalog", "update", "--cache", dir.toString(), "--from", data.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("kopeck catalog update: " + data + ": line ").contains("malformed JSON");
    assertThat(r.err().strip()).doesNotContain("\n");
    assertThat(CliTest.run("catalog", "info", "--cache", dir.toString()).out()).contains("the bundled snapshot");
  }

  /** --catalog on a pricing command: that data prices the call, checked as an update is, kept nowhere. */
  @Test
  void catalogDataForOneCommand() throws Exception {
    Path data = dir.resolve("data.json");
    Files.writeString(data, DATA, StandardCharsets.UTF_8);
    Path usage = dir.resolve("u.json");
    Files.writeString(usage, "{\"model\":\"acme-1\",\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}",
        StandardCharsets.UTF_8);
    CliTest.Result r = CliTest.run("cost", "--json", "--catalog", data.toString(), "--at", "2026-06-01",
        usage.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // 1000 x 1/1M + 100 x 2/1M, the prices in force before 2030
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.get("total").asText()).isEqualTo("0.0012");
    assertThat(o.get("provider").asText()).isEqualTo("acme");
    Path cut = dir.resolve("cut.json");
    Files.writeString(cut, DATA.substring(0, 80), StandardCharsets.UTF_8);
    CliTest.Result bad = CliTest.run("cost", "--catalog", cut.toString(), usage.toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().strip().lines()).singleElement().asString().contains(cut.toString());
    CliTest.Result info = CliTest.run("models", "--catalog-info");
    assertThat(info.code()).isZero();
    assertThat(info.out()).startsWith("catalog in force: ");
  }
}
