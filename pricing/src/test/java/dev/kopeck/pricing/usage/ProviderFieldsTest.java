package dev.kopeck.pricing.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The fields providers bill beyond prompt and completion, read as each provider documents them
 * (docs/usage.md cites each); tariffs' ProviderBillsTest prices the same shapes against genai-prices.
 */
class ProviderFieldsTest {
  @Test
  void xaiReasoningIsOutsideCompletionWhenTheTotalSaysSo() {
    Usage u = UsageParser.parse("x.json", """
        {"model":"grok-4-1-fast-reasoning","usage":{"prompt_tokens":37,"completion_tokens":1,"total_tokens":234,
         "prompt_tokens_details":{"cached_tokens":6},"completion_tokens_details":{"reasoning_tokens":196}}}""");
    assertThat(u.outputTokens()).isEqualTo(197);
    assertThat(u.reasoningTokens()).isEqualTo(196);
    assertThat(u.cacheReadTokens()).isEqualTo(6);
    assertThat(u.totalAddsUp()).isTrue();
  }

  @Test
  void aGrokModelThroughARouterThatCountsReasoningInsideKeepsItInside() {
    Usage u = UsageParser.parse("o.json", """
        {"model":"x-ai/grok-4","usage":{"prompt_tokens":37,"completion_tokens":200,"total_tokens":237,
         "completion_tokens_details":{"reasoning_tokens":196}}}""");
    assertThat(u.outputTokens()).isEqualTo(200);
    assertThat(u.reasoningTokens()).isEqualTo(196);
  }

  @Test
  void aGrokModelWithoutATotalHasItsReasoningOutside() {
    Usage u = UsageParser.parse("x.json", """
        {"model":"grok-4-1-fast-reasoning","usage":{"prompt_tokens":37,"completion_tokens":1,
         "completion_tokens_details":{"reasoning_tokens":196}}}""");
    assertThat(u.outputTokens()).isEqualTo(197);
  }

  @Test
  void anotherModelsReasoningLargerThanItsCompletionIsStillRefused() {
    assertThatThrownBy(() -> UsageParser.parse("o.json", """
        {"model":"o4-mini","usage":{"prompt_tokens":37,"completion_tokens":1,
         "completion_tokens_details":{"reasoning_tokens":196}}}"""))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("$.usage.completion_tokens_details.reasoning_tokens: 196 is more than its whole");
  }

  @Test
  void xaiTopLevelReasoningAndCachedPromptText() {
    Usage u = UsageParser.parse("x.json", """
        {"model":"grok-3-mini","usage":{"prompt_tokens":120,"completion_tokens":30,"reasoning_tokens":200,
         "cached_prompt_text_tokens":64,"total_tokens":350}}""");
    assertThat(u.outputTokens()).isEqualTo(230);
    assertThat(u.reasoningTokens()).isEqualTo(200);
    assertThat(u.cacheReadTokens()).isEqualTo(64);
  }

  @Test
  void perplexityCitationsReasoningAndSearches() {
    Usage u = UsageParser.parse("p.json", """
        {"model":"sonar-deep-research","usage":{"prompt_tokens":19,"completion_tokens":8956,"total_tokens":8975,
         "citation_tokens":43987,"num_search_queries":24,"reasoning_tokens":110166}}""");
    assertThat(u.outputTokens()).isEqualTo(8956 + 43987 + 110166);
    assertThat(u.citationTokens()).isEqualTo(43987);
    assertThat(u.reasoningTokens()).isEqualTo(110166);
    assertThat(u.webSearches()).isEqualTo(24);
  }

  @Test
  void cohereTokensWithoutBilledUnits() {
    Usage u = UsageParser.parse("c.json", """
        {"model":"command-a-03-2025","usage":{"tokens":{"input_tokens":71,"output_tokens":418},"cached_tokens":20}}""");
    assertThat(u.format()).isEqualTo(UsageFormat.COHERE);
    assertThat(u.inputTokens()).isEqualTo(71);
    assertThat(u.cacheReadTokens()).isEqualTo(20);
    assertThat(u.outputTokens()).isEqualTo(418);
  }

  @Test
  void openaiRealtimeResponseDone() {
    Usage u = UsageParser.parse("r.json", """
        {"type":"response.done","response":{"object":"realtime.response","usage":{"total_tokens":253,
         "input_tokens":132,"output_tokens":121,"input_token_details":{"text_tokens":119,"audio_tokens":13,
         "image_tokens":0,"cached_tokens":64,"cached_tokens_details":{"text_tokens":64,"audio_tokens":0,
         "image_tokens":0}},"output_token_details":{"text_tokens":30,"audio_tokens":91}}}}""");
    assertThat(u.format()).isEqualTo(UsageFormat.OPENAI_REALTIME);
    assertThat(u.inputByModality()).isEqualTo(new Modalities(119, 0, 13, 0, 0));
    assertThat(u.cacheReadByModality()).isEqualTo(new Modalities(64, 0, 0, 0, 0));
    assertThat(u.outputAudioTokens()).isEqualTo(91);
  }

  @Test
  void realtimeCachedAudioOverTheAudioIsRefusedWhereItIs() {
    assertThatThrownBy(() -> UsageParser.parse("r.json", """
        {"usage":{"input_tokens":100,"output_tokens":1,"input_token_details":{"audio_tokens":10,"cached_tokens":50,
         "cached_tokens_details":{"audio_tokens":20}}}}"""))
        .hasMessageContaining("r.json: $.usage.input_token_details.cached_tokens_details.audio_tokens: 20 is more than"
            + " its whole, input_token_details.audio_tokens (10)");
  }

  @Test
  void mistralOcrPagesAndCachedTokens() {
    Usage ocr = UsageParser.parse("o.json", """
        {"pages":[],"model":"mistral-ocr-latest","usage_info":{"pages_processed":12,"doc_size_bytes":3456789}}""");
    assertThat(ocr.format()).isEqualTo(UsageFormat.MISTRAL_OCR);
    assertThat(ocr.media().pages()).isEqualTo(12);
    assertThat(ocr.withMedia(MediaCounts.UNKNOWN.withImages(1)).media().pages()).as("kept under the caller's").isEqualTo(12);
    Usage chat = UsageParser.parse("m.json", """
        {"model":"mistral-medium-latest","usage":{"prompt_tokens":979,"completion_tokens":152,"total_tokens":1131,
         "num_cached_tokens":512}}""");
    assertThat(chat.cacheReadTokens()).isEqualTo(512);
  }

  @Test
  void geminiCacheDetailsLeavingOutAZeroModality() {
    Usage u = UsageParser.parse("g.json", """
        {"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":3500,"candidatesTokenCount":120,
         "totalTokenCount":3620,"cachedContentTokenCount":2048,
         "promptTokensDetails":[{"modality":"TEXT","tokenCount":3000},{"modality":"AUDIO","tokenCount":500}],
         "cacheTokensDetails":[{"modality":"TEXT","tokenCount":2048}]}}""");
    assertThat(u.cacheReadByModality()).isEqualTo(new Modalities(2048, 0, 0, 0, 0));
  }

  @Test
  void geminiCachedModalityOverThePromptsIsRefusedAtTheList() {
    assertThatThrownBy(() -> UsageParser.parse("g.json", """
        {"modelVersion":"gemini-2.5-flash","usageMetadata":{"promptTokenCount":3500,"candidatesTokenCount":1,
         "cachedContentTokenCount":600,
         "promptTokensDetails":[{"modality":"TEXT","tokenCount":3000},{"modality":"AUDIO","tokenCount":500}],
         "cacheTokensDetails":[{"modality":"AUDIO","tokenCount":600}]}}"""))
        .hasMessageContaining("g.json: $.usageMetadata.cacheTokensDetails: lists 600 cached AUDIO tokens, more than the"
            + " prompt's 500");
  }

  @Test
  void anthropicStreamWebSearchesAndTier() {
    Usage u = UsageParser.parse("s.sse", """
        event: message_start
        data: {"type":"message_start","message":{"model":"claude-sonnet-4-5","usage":{"input_tokens":2679,"output_tokens":3,"service_tier":"batch"}}}

        event: message_delta
        data: {"type":"message_delta","usage":{"output_tokens":510,"server_tool_use":{"web_search_requests":2}}}
        """);
    assertThat(u.webSearches()).isEqualTo(2);
    assertThat(u.outputTokens()).isEqualTo(510);
    assertThat(u.serviceTier()).isEqualTo("batch");
  }

  @Test
  void openaiServiceTierAtTheTop() {
    Usage u = UsageParser.parse("f.json", """
        {"model":"o4-mini","service_tier":"Flex","usage":{"prompt_tokens":10,"completion_tokens":2}}""");
    assertThat(u.serviceTier()).isEqualTo("flex");
  }

  @Test
  void xaiVoiceBillableSeconds() {
    Usage u = UsageParser.parse("v.json", """
        {"model":"grok-voice-latest","usage":{"input_tokens":50,"input_token_details":{"audio_tokens":30},
         "output_tokens":40,"output_token_details":{"audio_tokens":30},"billable_audio_seconds":12.5}}""");
    assertThat(u.media().audioSeconds()).isEqualByComparingTo(new BigDecimal("12.5"));
  }
}
