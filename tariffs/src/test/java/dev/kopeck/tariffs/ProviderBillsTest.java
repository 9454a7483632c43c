package dev.kopeck.tariffs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kopeck.pricing.catalog.Catalog;
import dev.kopeck.pricing.catalog.CatalogPrice;
import dev.kopeck.pricing.catalog.UnitUsage;
import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.UsageParser;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fields each provider bills, read by Kopeck's own reader ({@link UsageParser}, which finds the
 * shape by itself and knows nothing of the provider) and priced by the catalog, against
 * genai-prices 0.1.8's own {@code extractUsage} and {@code calcPrice} on the same body with the
 * provider's API flavour (genai-prices/provider-bills.tsv, made by tariffs/src/test/golden/bills.mjs
 * from genai-prices/provider-bodies.json). Each body is shaped as the provider documents it (the
 * {@code doc} of each case). Where Kopeck departs on purpose ({@code departure}: its total and the
 * reason, listed in docs/catalog.md), that total is asserted instead. Units no body carries (audio
 * seconds, pages) come from the caller, as {@link UnitUsage#with}.
 */
class ProviderBillsTest {
  static final ObjectMapper M = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  static final MathContext DIGITS = new MathContext(12);

  static Stream<Arguments> cases() throws IOException {
    Map<String, String[]> golden = new HashMap<>();
    try (InputStream in = ProviderBillsTest.class.getResourceAsStream("/genai-prices/provider-bills.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] f = line.split("\t");
        golden.put(f[0], f);
      }
    }
    JsonNode cases;
    try (InputStream in = ProviderBillsTest.class.getResourceAsStream("/genai-prices/provider-bodies.json")) {
      cases = M.readTree(in);
    }
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : cases) {
      out.add(Arguments.of(c.get("name").asText(), c, golden.get(c.get("name").asText())));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void billsAsGenaiPricesOrTheDocumentedDeparture(String name, JsonNode c, String[] golden) throws IOException {
    assertThat(golden).as("a line of provider-bills.tsv for " + name + ": rerun bills.mjs").isNotNull();
    UnitUsage units = UnitUsage.of();
    String tier = null;
    String model = c.path("model").asText(null);
    if (c.has("body")) {
      JsonNode b = c.get("body");
      Usage u = UsageParser.parse(name, b.isTextual() ? b.asText() : M.writeValueAsString(b));
      units = UnitUsage.of(u);
      tier = u.serviceTier();
      model = model != null ? model : u.model();
    }
    for (var e : c.path("units").properties()) {
      BigDecimal n = e.getValue().decimalValue();
      units = e.getKey().equals("audio_seconds") ? units.withAudioSeconds(n) : units.with(e.getKey(), n);
    }
    CatalogPrice p = Catalog.bundled().price(units, model, c.get("provider").asText(), Instant.parse(c.get("at").asText()),
        tier);
    if (c.has("departure")) {
      String d = c.get("departure").asText();
      assertThat(p.total().toPlainString()).as(d).isEqualTo(d.substring(0, d.indexOf(' ')));
    } else {
      assertThat(golden.length).as("genai-prices prices " + name + ": " + String.join(" ", golden)).isEqualTo(8);
      assertThat(p.input().round(DIGITS)).isEqualByComparingTo(new BigDecimal(golden[5]).round(DIGITS));
      assertThat(p.output().round(DIGITS)).isEqualByComparingTo(new BigDecimal(golden[6]).round(DIGITS));
      assertThat(p.total().round(DIGITS)).isEqualByComparingTo(new BigDecimal(golden[7]).round(DIGITS));
    }
    if (c.has("note")) {
      assertThat(p.notes()).anySatisfy(n -> assertThat(n).contains(c.get("note").asText()));
    } else {
      assertThat(p.notes()).isEmpty();
    }
  }
}
