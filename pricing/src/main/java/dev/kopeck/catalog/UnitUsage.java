package dev.kopeck.catalog;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A usage as the catalog prices it: a count per unit usage key ({@code input_tokens},
 * {@code cache_read_tokens}, {@code input_audio_tokens}, {@code output_reasoning_tokens},
 * {@code web_searches}, ...). A more specific key counts a part of a more general one: cache reads
 * are part of the input tokens, never added on top. Counts are exact and not negative.
 *
 * @param counts by usage key, sorted; only keys that were reported
 */
public record UnitUsage(Map<String, BigDecimal> counts) {
  public UnitUsage {
    TreeMap<String, BigDecimal> c = new TreeMap<>();
    for (Map.Entry<String, BigDecimal> e : counts.entrySet()) {
      Objects.requireNonNull(e.getValue(), e.getKey());
      if (e.getValue().signum() < 0) {
        throw new IllegalArgumentException(e.getKey() + " is negative: " + e.getValue().toPlainString());
      }
      c.put(e.getKey(), e.getValue());
    }
    counts = java.util.Collections.unmodifiableSortedMap(c);
  }

  /** A usage of whole counts: {@code of("input_tokens", 1000, "output_tokens", 50)}. */
  public static UnitUsage of(Object... keysAndCounts) {
    if (keysAndCounts.length % 2 != 0) {
      throw new IllegalArgumentException("keys and counts come in pairs");
    }
    Map<String, BigDecimal> m = new TreeMap<>();
    for (int i = 0; i < keysAndCounts.length; i += 2) {
      Object v = keysAndCounts[i + 1];
      m.put((String) keysAndCounts[i], v instanceof BigDecimal b ? b : new BigDecimal(v.toString()));
    }
    return new UnitUsage(m);
  }

  /** The count of {@code key}, or null when it was not reported. */
  public BigDecimal get(String key) {
    return counts.get(key);
  }
}
