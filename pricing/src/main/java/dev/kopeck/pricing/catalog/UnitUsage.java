package dev.kopeck.pricing.catalog;

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
 * @param counts by usage key, sorted; only keys that were reported (an immutable copy of the map given)
 */
public record UnitUsage(Map<String, BigDecimal> counts) {
  public UnitUsage {
    counts = UsageCounts.copyOf(counts);
  }

  /** A usage of whole counts: {@code of("input_tokens", 1000, "output_tokens", 50)}. */
  public static UnitUsage of(Object... keysAndCounts) {
    if (keysAndCounts.length % 2 != 0) {
      throw new IllegalArgumentException("keys and counts come in pairs");
    }
    UsageCounts.Builder m = new UsageCounts.Builder();
    for (int i = 0; i < keysAndCounts.length; i += 2) {
      Object v = keysAndCounts[i + 1];
      m.put((String) keysAndCounts[i], v instanceof BigDecimal b ? b : new BigDecimal(v.toString()));
    }
    return new UnitUsage(m.build());
  }

  /**
   * A usage read from a response ({@link dev.kopeck.pricing.usage.UsageParser}) as the catalog counts it:
   * its totals, cache reads and writes, modalities where the provider reported them, reasoning, tool
   * prompt, output audio and images, citations, web searches, and its media counts (from the body or
   * the caller: {@link dev.kopeck.pricing.usage.Usage#withMedia}) as {@code input_document_pages} and
   * {@code audio_seconds}; zero counts are left out.
   */
  public static UnitUsage of(dev.kopeck.pricing.usage.Usage u) {
    UsageCounts.Builder m = new UsageCounts.Builder();
    put(m, "input_tokens", u.inputTokens());
    put(m, "output_tokens", u.outputTokens());
    put(m, "cache_read_tokens", u.cacheReadTokens());
    put(m, "cache_write_tokens", u.cacheWriteTokens());
    put(m, "input_tool_tokens", u.toolUsePromptTokens());
    if (u.modalitiesReported()) {
      put(m, "input_audio_tokens", u.inputByModality().audio());
      // genai-prices counts Gemini's DOCUMENT tokens as image tokens
      put(m, "input_image_tokens", u.inputByModality().image() + u.inputByModality().document());
      put(m, "input_video_tokens", u.inputByModality().video());
    }
    if (u.cacheReadByModality() != null) {
      // a zero the provider left out of its list is still a zero: with cache reads and that modality's
      // input both reported, the part they share is known to be none, not missing
      boolean cached = u.cacheReadTokens() > 0;
      putKnown(m, "cache_audio_read_tokens", u.cacheReadByModality().audio(), cached && m.has("input_audio_tokens"));
      putKnown(m, "cache_image_read_tokens", u.cacheReadByModality().image() + u.cacheReadByModality().document(),
          cached && m.has("input_image_tokens"));
      putKnown(m, "cache_video_read_tokens", u.cacheReadByModality().video(), cached && m.has("input_video_tokens"));
    }
    put(m, "output_reasoning_tokens", u.reasoningTokens());
    put(m, "output_audio_tokens", u.outputAudioTokens());
    put(m, "output_image_tokens", u.outputImageTokens());
    put(m, "output_citation_tokens", u.citationTokens());
    put(m, "web_searches", u.webSearches());
    if (u.media().pages() != null && u.media().pages() > 0) {
      m.put("input_document_pages", BigDecimal.valueOf(u.media().pages()));
    }
    if (u.media().audioSeconds() != null && u.media().audioSeconds().signum() > 0) {
      m.put("audio_seconds", u.media().audioSeconds());
      m.put("input_audio_seconds", u.media().audioSeconds());
    }
    return new UnitUsage(m.build());
  }

  /**
   * The same usage with one more count, or another count for a key it has: units no usage body
   * carries, from the caller. {@code with("input_document_pages", 12)} for an OCR call,
   * {@code with("audio_seconds", 30)} for a transcription, {@code with("requests", 3)} for three
   * calls' per-request fees (one when not given).
   *
   * @throws IllegalArgumentException for a negative count
   */
  public UnitUsage with(String key, BigDecimal count) {
    Map<String, BigDecimal> m = new TreeMap<>(counts);
    m.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(count, key));
    return new UnitUsage(m);
  }

  /** {@link #with(String, BigDecimal)} for a whole count. */
  public UnitUsage with(String key, long count) {
    return with(key, BigDecimal.valueOf(count));
  }

  /**
   * The seconds of audio a transcription or speech price bills, as {@code audio_seconds} and its
   * part {@code input_audio_seconds} (a price lists one or both).
   */
  public UnitUsage withAudioSeconds(BigDecimal seconds) {
    return with("audio_seconds", seconds).with("input_audio_seconds", seconds);
  }

  private static void putKnown(UsageCounts.Builder m, String key, long n, boolean evenZero) {
    if (n != 0 || evenZero) {
      m.put(key, BigDecimal.valueOf(n));
    }
  }

  private static void put(UsageCounts.Builder m, String key, long n) {
    if (n != 0) {
      m.put(key, BigDecimal.valueOf(n));
    }
  }

  /** The count of {@code key}, or null when it was not reported. */
  public BigDecimal get(String key) {
    return counts.get(key);
  }
}
