package dev.kopeck.pricing.usage;

import dev.kopeck.base.Modality;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What one call used, in one shape for every provider. Every count is a whole number of tokens.
 *
 * <p>The semantics (docs/usage.md cites the sources):
 *
 * <ul>
 *   <li>{@code inputTokens} is everything billed as input: OpenAI's {@code prompt_tokens}; Gemini's
 *       {@code promptTokenCount + toolUsePromptTokenCount}.
 *   <li>{@code cacheReadTokens}, {@code cacheWriteTokens} and {@code toolUsePromptTokens} are
 *       <em>parts</em> of {@code inputTokens}, never added on top. {@code inputByModality} splits
 *       {@code inputTokens} by modality and sums to it exactly; {@code cacheReadByModality}, when
 *       the provider says, splits {@code cacheReadTokens}.
 *   <li>{@code outputTokens} is everything billed as output: OpenAI's {@code completion_tokens};
 *       Gemini's {@code candidatesTokenCount + thoughtsTokenCount}. {@code reasoningTokens},
 *       {@code outputAudioTokens}, {@code outputImageTokens} and the prediction counts are parts of it.
 * </ul>
 *
 * @param modalitiesReported whether the provider broke the input down by modality itself; when
 *     false, {@code inputByModality} is all text except what the provider did name
 * @param cacheReadByModality {@code cacheReadTokens} split by modality, or null when the provider did not say
 * @param reportedTotalTokens the provider's own total (not always input + output), or null when it gave none
 * @param reportedCost the provider's own charge in its billing currency, or null when it gave none
 * @param upstreamCost OpenRouter's {@code cost_details.upstream_inference_cost}: what the upstream
 *     provider charged, or null
 * @param byok OpenRouter's {@code is_byok}: the call ran on the caller's own key, so {@code reportedCost}
 *     is OpenRouter's fee and the upstream provider bills {@code upstreamCost} apart
 * @param model the model the response names, or null
 * @param created when the response says it was made, or null
 * @param media image/second/page counts for tariffs that bill per image, second or page: from the
 *     caller, or from the body where the provider reports them (Mistral OCR's {@code pages_processed},
 *     xAI Realtime's {@code billable_audio_seconds})
 * @param webSearches searches the provider ran and bills apart from tokens (Anthropic's
 *     {@code server_tool_use.web_search_requests}, Perplexity's {@code num_search_queries})
 * @param citationTokens Perplexity's {@code citation_tokens}: a part of {@code outputTokens}, billed
 *     at its own rate where the provider has one
 * @param serviceTier the service tier the provider says it ran the call on ({@code flex},
 *     {@code priority}, {@code batch}, {@code standard}, ...), lower-cased, or null when it said none
 */
public record Usage(
    UsageFormat format,
    long inputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long toolUsePromptTokens,
    Modalities inputByModality,
    Modalities cacheReadByModality,
    boolean modalitiesReported,
    long outputTokens,
    long reasoningTokens,
    long outputAudioTokens,
    long outputImageTokens,
    long acceptedPredictionTokens,
    long rejectedPredictionTokens,
    Long reportedTotalTokens,
    BigDecimal reportedCost,
    BigDecimal upstreamCost,
    boolean byok,
    String model,
    Instant created,
    MediaCounts media,
    long webSearches,
    long citationTokens,
    String serviceTier) {

  /**
   * The largest count a usage may hold, 10^15: far above any call (the largest context windows hold
   * a few million tokens), and small enough that sums of counts cannot overflow. A larger count is
   * refused as a fault.
   */
  public static final long MAX_COUNT = 1_000_000_000_000_000L;

  public Usage {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(inputByModality, "inputByModality");
    Objects.requireNonNull(media, "media");
    String problem = problem(inputTokens, cacheReadTokens, cacheWriteTokens, toolUsePromptTokens, inputByModality,
        cacheReadByModality, outputTokens, reasoningTokens, outputAudioTokens, outputImageTokens,
        acceptedPredictionTokens, rejectedPredictionTokens, reportedTotalTokens);
    if (problem == null && webSearches < 0) {
      problem = "webSearches is negative: " + webSearches;
    }
    if (problem == null && (citationTokens < 0 || reasoningTokens + outputAudioTokens + outputImageTokens
        + citationTokens > outputTokens)) {
      problem = citationTokens < 0 ? "citationTokens is negative: " + citationTokens
          : "reasoning + output audio + output image + citation tokens (" + (reasoningTokens + outputAudioTokens
              + outputImageTokens + citationTokens) + ") exceed outputTokens " + outputTokens;
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The usage without searches, citations or a service tier (the shape before they were read). */
  public Usage(UsageFormat format, long inputTokens, long cacheReadTokens, long cacheWriteTokens,
      long toolUsePromptTokens, Modalities inputByModality, Modalities cacheReadByModality, boolean modalitiesReported,
      long outputTokens, long reasoningTokens, long outputAudioTokens, long outputImageTokens,
      long acceptedPredictionTokens, long rejectedPredictionTokens, Long reportedTotalTokens, BigDecimal reportedCost,
      BigDecimal upstreamCost, boolean byok, String model, Instant created, MediaCounts media) {
    this(format, inputTokens, cacheReadTokens, cacheWriteTokens, toolUsePromptTokens, inputByModality,
        cacheReadByModality, modalitiesReported, outputTokens, reasoningTokens, outputAudioTokens, outputImageTokens,
        acceptedPredictionTokens, rejectedPredictionTokens, reportedTotalTokens, reportedCost, upstreamCost, byok, model,
        created, media, 0, 0, null);
  }

  private static String problem(long in, long cacheRead, long cacheWrite, long toolUse, Modalities byMod,
      Modalities cacheByMod, long out, long reasoning, long outAudio, long outImage, long accepted,
      long rejected, Long total) {
    long[] counts = {in, cacheRead, cacheWrite, toolUse, out, reasoning, outAudio, outImage, accepted, rejected};
    String[] names = {"inputTokens", "cacheReadTokens", "cacheWriteTokens", "toolUsePromptTokens", "outputTokens",
        "reasoningTokens", "outputAudioTokens", "outputImageTokens", "acceptedPredictionTokens",
        "rejectedPredictionTokens"};
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] < 0) {
        return names[i] + " is negative: " + counts[i];
      }
      if (counts[i] > MAX_COUNT) {
        return names[i] + " is more than any call's count (at most 10^15): " + counts[i];
      }
    }
    if (cacheRead + cacheWrite > in) {
      return "cacheReadTokens + cacheWriteTokens (" + (cacheRead + cacheWrite) + ") exceed inputTokens " + in;
    }
    if (toolUse > in) {
      return "toolUsePromptTokens " + toolUse + " exceed inputTokens " + in;
    }
    if (byMod.total() != in) {
      return "inputByModality sums to " + byMod.total() + ", not inputTokens " + in;
    }
    if (cacheByMod != null) {
      Modalities c = cacheByMod;
      if (c.total() != cacheRead) {
        return "cacheReadByModality sums to " + c.total() + ", not cacheReadTokens " + cacheRead;
      }
      for (Modality m : Modality.values()) {
        if (c.get(m) > byMod.get(m)) {
          return "cached " + m.jsonName() + " tokens " + c.get(m) + " exceed input " + m.jsonName() + " tokens " + byMod.get(m);
        }
      }
    }
    if (reasoning + outAudio + outImage > out) {
      return "reasoning + output audio + output image tokens (" + (reasoning + outAudio + outImage)
          + ") exceed outputTokens " + out;
    }
    if (accepted + rejected > out) {
      return "prediction tokens (" + (accepted + rejected) + ") exceed outputTokens " + out;
    }
    if (total != null && total < 0) {
      return "reportedTotalTokens is negative: " + total;
    }
    return null;
  }

  /** Input and output text only, as code that knows nothing else builds it. */
  public static Usage of(long inputTokens, long outputTokens) {
    return builder().inputTokens(inputTokens).outputTokens(outputTokens).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The input tokens billed at the plain input rate: neither read from nor written to a cache. */
  public long uncachedInputTokens() {
    return inputTokens - cacheReadTokens - cacheWriteTokens;
  }

  /**
   * The charge to compare with a price of the tokens: the reported cost, or with OpenRouter's own
   * key ({@code byok}) the upstream provider's charge, whose fee {@code reportedCost} is not; null
   * when the response gives neither.
   */
  public BigDecimal tokensCharge() {
    return byok ? upstreamCost : reportedCost;
  }

  /** Whether the provider's total, if any, equals input + output. */
  public boolean totalAddsUp() {
    return reportedTotalTokens == null || reportedTotalTokens == inputTokens + outputTokens;
  }

  /**
   * The same usage with the media counts of the caller: a count the caller gives replaces the one
   * the body reported, a count it leaves null keeps it.
   */
  public Usage withMedia(MediaCounts m) {
    MediaCounts b = media;
    m = new MediaCounts(m.images() != null ? m.images() : b.images(),
        m.audioSeconds() != null ? m.audioSeconds() : b.audioSeconds(),
        m.videoSeconds() != null ? m.videoSeconds() : b.videoSeconds(), m.pages() != null ? m.pages() : b.pages());
    return new Usage(format, inputTokens, cacheReadTokens, cacheWriteTokens, toolUsePromptTokens, inputByModality,
        cacheReadByModality, modalitiesReported, outputTokens, reasoningTokens, outputAudioTokens, outputImageTokens,
        acceptedPredictionTokens, rejectedPredictionTokens, reportedTotalTokens, reportedCost, upstreamCost, byok, model, created, m, webSearches,
        citationTokens, serviceTier);
  }

  /**
   * The same usage with the input split by modality as given (it must sum to {@code inputTokens}):
   * for attributing image and audio tokens from an estimate when the provider did not say.
   */
  public Usage withInputByModality(Modalities m) {
    return new Usage(format, inputTokens, cacheReadTokens, cacheWriteTokens, toolUsePromptTokens, m,
        cacheReadByModality, modalitiesReported, outputTokens, reasoningTokens, outputAudioTokens, outputImageTokens,
        acceptedPredictionTokens, rejectedPredictionTokens, reportedTotalTokens, reportedCost, upstreamCost, byok, model, created, media, webSearches,
        citationTokens, serviceTier);
  }

  /** The same usage run on this service tier (lower-cased; null or blank for none said). */
  public Usage withServiceTier(String tier) {
    String t = tier == null || tier.isBlank() ? null : tier.trim().toLowerCase(java.util.Locale.ROOT);
    return new Usage(format, inputTokens, cacheReadTokens, cacheWriteTokens, toolUsePromptTokens, inputByModality,
        cacheReadByModality, modalitiesReported, outputTokens, reasoningTokens, outputAudioTokens, outputImageTokens,
        acceptedPredictionTokens, rejectedPredictionTokens, reportedTotalTokens, reportedCost, upstreamCost, byok, model,
        created, media, webSearches, citationTokens, t);
  }

  public Usage withModel(String m) {
    return new Usage(format, inputTokens, cacheReadTokens, cacheWriteTokens, toolUsePromptTokens, inputByModality,
        cacheReadByModality, modalitiesReported, outputTokens, reasoningTokens, outputAudioTokens, outputImageTokens,
        acceptedPredictionTokens, rejectedPredictionTokens, reportedTotalTokens, reportedCost, upstreamCost, byok, Objects.requireNonNull(m, "model"), created,
        media, webSearches, citationTokens, serviceTier);
  }

  /**
   * Builds a usage in code. Non-text input modalities are given; text is the rest of
   * {@code inputTokens} unless set.
   */
  public static final class Builder {
    private UsageFormat format = UsageFormat.MANUAL;
    private long inputTokens;
    private long cacheReadTokens;
    private long cacheWriteTokens;
    private long toolUsePromptTokens;
    private long image;
    private long audio;
    private long video;
    private long document;
    private Modalities cacheReadByModality;
    private boolean modalitiesReported;
    private long outputTokens;
    private long reasoningTokens;
    private long outputAudioTokens;
    private long outputImageTokens;
    private long acceptedPredictionTokens;
    private long rejectedPredictionTokens;
    private Long reportedTotalTokens;
    private BigDecimal reportedCost;
    private BigDecimal upstreamCost;
    private boolean byok;
    private String model;
    private Instant created;
    private MediaCounts media = MediaCounts.UNKNOWN;
    private long webSearches;
    private long citationTokens;
    private String serviceTier;

    private Builder() {}

    public Builder webSearches(long v) {
      webSearches = v;
      return this;
    }

    public Builder citationTokens(long v) {
      citationTokens = v;
      return this;
    }

    /** The tier the call ran on, as the provider names it; stored lower-case, blank as null. */
    public Builder serviceTier(String v) {
      serviceTier = v == null || v.isBlank() ? null : v.trim().toLowerCase(java.util.Locale.ROOT);
      return this;
    }

    public Builder format(UsageFormat v) {
      format = v;
      return this;
    }

    public Builder inputTokens(long v) {
      inputTokens = v;
      return this;
    }

    public Builder cacheReadTokens(long v) {
      cacheReadTokens = v;
      return this;
    }

    public Builder cacheWriteTokens(long v) {
      cacheWriteTokens = v;
      return this;
    }

    public Builder toolUsePromptTokens(long v) {
      toolUsePromptTokens = v;
      return this;
    }

    public Builder inputImageTokens(long v) {
      image = v;
      return this;
    }

    public Builder inputAudioTokens(long v) {
      audio = v;
      return this;
    }

    public Builder inputVideoTokens(long v) {
      video = v;
      return this;
    }

    public Builder inputDocumentTokens(long v) {
      document = v;
      return this;
    }

    public Builder cacheReadByModality(Modalities v) {
      cacheReadByModality = v;
      return this;
    }

    public Builder modalitiesReported(boolean v) {
      modalitiesReported = v;
      return this;
    }

    public Builder outputTokens(long v) {
      outputTokens = v;
      return this;
    }

    public Builder reasoningTokens(long v) {
      reasoningTokens = v;
      return this;
    }

    public Builder outputAudioTokens(long v) {
      outputAudioTokens = v;
      return this;
    }

    public Builder outputImageTokens(long v) {
      outputImageTokens = v;
      return this;
    }

    public Builder acceptedPredictionTokens(long v) {
      acceptedPredictionTokens = v;
      return this;
    }

    public Builder rejectedPredictionTokens(long v) {
      rejectedPredictionTokens = v;
      return this;
    }

    public Builder reportedTotalTokens(long v) {
      reportedTotalTokens = v;
      return this;
    }

    public Builder reportedCost(BigDecimal v) {
      reportedCost = v;
      return this;
    }

    public Builder upstreamCost(BigDecimal v) {
      upstreamCost = v;
      return this;
    }

    public Builder byok(boolean v) {
      byok = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder created(Instant v) {
      created = v;
      return this;
    }

    public Builder media(MediaCounts v) {
      media = Objects.requireNonNull(v, "media");
      return this;
    }

    /** @throws IllegalArgumentException if the counts do not add up (a part larger than its whole) */
    public Usage build() {
      long nonText = image + audio + video + document;
      if (image < 0 || audio < 0 || video < 0 || document < 0) {
        throw new IllegalArgumentException("negative input modality count");
      }
      if (nonText > inputTokens) {
        throw new IllegalArgumentException(
            "image + audio + video + document tokens (" + nonText + ") exceed inputTokens " + inputTokens);
      }
      Modalities byMod = new Modalities(inputTokens - nonText, image, audio, video, document);
      return new Usage(format, inputTokens, cacheReadTokens, cacheWriteTokens, toolUsePromptTokens, byMod,
          cacheReadByModality, modalitiesReported, outputTokens, reasoningTokens,
          outputAudioTokens, outputImageTokens, acceptedPredictionTokens, rejectedPredictionTokens,
          reportedTotalTokens, reportedCost, upstreamCost, byok, model, created, media, webSearches, citationTokens,
          serviceTier);
    }
  }
}
