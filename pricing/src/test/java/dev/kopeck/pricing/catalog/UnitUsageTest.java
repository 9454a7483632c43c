package dev.kopeck.pricing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A usage's counts: sorted by key, immutable, checked once, equal to any map of the same counts. */
class UnitUsageTest {
  @Test
  void countsAreSortedWhateverTheOrderGiven() {
    UnitUsage u = UnitUsage.of("output_tokens", 120, "input_tokens", 1_290, "cache_read_tokens", 512, "web_searches", 2);
    assertThat(u.counts().keySet()).containsExactly("cache_read_tokens", "input_tokens", "output_tokens", "web_searches");
    assertThat(u.get("input_tokens")).isEqualByComparingTo("1290");
    assertThat(u.get("audio_seconds")).isNull();
    assertThat(u.counts().containsKey("web_searches")).isTrue();
    assertThat(u.toString()).isEqualTo("UnitUsage[counts={cache_read_tokens=512, input_tokens=1290, output_tokens=120,"
        + " web_searches=2}]");
  }

  @Test
  void aUsageEqualsOneMadeFromAnyMapOfTheSameCounts() {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    m.put("output_tokens", BigDecimal.valueOf(120));
    m.put("input_tokens", BigDecimal.valueOf(1_290));
    UnitUsage fromMap = new UnitUsage(m);
    UnitUsage built = UnitUsage.of("input_tokens", 1_290, "output_tokens", 120);
    assertThat(fromMap).isEqualTo(built).hasSameHashCodeAs(built);
    assertThat(built.counts()).isEqualTo(new TreeMap<>(m));
    assertThat(built.with("requests", 3).counts()).containsEntry("requests", BigDecimal.valueOf(3)).hasSize(3);
    assertThat(built.counts()).hasSize(2); // with made another
  }

  @Test
  void theCountsCannotBeChangedAndAKeyGivenTwiceKeepsItsLastCount() {
    UnitUsage u = UnitUsage.of("input_tokens", 10, "input_tokens", 20);
    assertThat(u.counts()).containsExactly(Map.entry("input_tokens", BigDecimal.valueOf(20)));
    assertThatThrownBy(() -> u.counts().put("output_tokens", BigDecimal.ONE))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> u.counts().entrySet().iterator().remove()).isInstanceOf(RuntimeException.class);
  }

  @Test
  void aNegativeOrMissingCountIsRefusedNamingItsKey() {
    assertThatThrownBy(() -> UnitUsage.of("input_tokens", -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input_tokens is negative: -1");
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    m.put("output_tokens", null);
    assertThatThrownBy(() -> new UnitUsage(m)).isInstanceOf(NullPointerException.class).hasMessage("output_tokens");
  }
}
