package dev.kopeck.pricing.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageParserTest {

  @Test
  void openAiResponseWithEveryDetail() {
    Usage u = UsageParser.parse("r.json", """
        {"id": "gen-1", "created": 1740000000, "model": "google/gemini-2.0-flash-001",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}],
         "usage": {"prompt_tokens": 1000, "completion_tokens": 300, "total_tokens": 1300,
           "prompt_tokens_details": {"cached_tokens": 200, "cache_write_tokens": 100, "audio_tokens": 64,
             "image_tokens": 258, "video_tokens": 0},
           "completion_tokens_details": {"reasoning_tokens": 120, "audio_tokens": 10,
             "accepted_prediction_tokens": 5, "rejected_prediction_tokens": 7},
           "cost": 0.0123}}
        """);
    assertThat(u.format()).isEqualTo(UsageFormat.OPENAI);
    assertThat(u.model()).isEqualTo("google/gemini-2.0-flash-001");
    assertThat(u.created()).isEqualTo(Instant.ofEpochSecond(1740000000));
    assertThat(u.inputTokens()).isEqualTo(1000);
    assertThat(u.cacheReadTokens()).isEqualTo(200);
    assertThat(u.cacheWriteTokens()).isEqualTo(100);
    assertThat(u.uncachedInputTokens()).isEqualTo(700);
    // cached, audio and image tokens are parts of prompt_tokens: text is the rest, never a sum on top
    assertThat(u.inputByModality()).isEqualTo(new Modalities(1000 - 64 - 258, 258, 64, 0, 0));
    assertThat(u.modalitiesReported()).isTrue();
    assertThat(u.outputTokens()).isEqualTo(300);
    assertThat(u.reasoningTokens()).isEqualTo(120);
    assertThat(u.outputAudioTokens()).isEqualTo(10);
    assertThat(u.acceptedPredictionTokens()).isEqualTo(5);
    assertThat(u.rejectedPredictionTokens()).isEqualTo(7);
    assertThat(u.reportedTotalTokens()).isEqualTo(1300);
    assertThat(u.totalAddsUp()).isTrue();
    assertThat(u.reportedCost()).isEqualTo(new BigDecimal("0.0123"));
  }

  @Test
  void bareOpenAiUsage() {
    Usage u = UsageParser.parse("u.json", "{\"prompt_tokens\": 12, \"completion_tokens\": 3, \"total_tokens\": 15}");
    assertThat(u.inputTokens()).isEqualTo(12);
    assertThat(u.outputTokens()).isEqualTo(3);
    assertThat(u.inputByModality()).isEqualTo(Modalities.text(12));
    assertThat(u.modalitiesReported()).isFalse();
    assertThat(u.model()).isNull();
    assertThat(u.reportedCost()).isNull();
  }

  @Test
  void costAtTheTopOfTheResponse() {
    Usage u = UsageParser.parse("u.json", "{\"usage\": {\"prompt_tokens\": 1}, \"cost\": \"0.5\"}");
    assertThat(u.reportedCost()).isEqualTo(new BigDecimal("0.5"));
  }

  @Test
  void geminiResponseWithModalitiesThoughtsAndToolUse() {
    Usage u = UsageParser.parse("g.json", """
        {"candidates": [{"content": {"parts": [{"text": "ok"}], "role": "model"}}],
         "modelVersion": "gemini-2.0-flash-001",
         "usageMetadata": {
           "promptTokenCount": 1000, "candidatesTokenCount": 50, "cachedContentTokenCount": 300,
           "thoughtsTokenCount": 70, "toolUsePromptTokenCount": 40, "totalTokenCount": 1160,
           "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 442}, {"modality": "IMAGE", "tokenCount": 258},
                                   {"modality": "AUDIO", "tokenCount": 200}, {"modality": "DOCUMENT", "tokenCount": 100}],
           "cacheTokensDetails": [{"modality": "TEXT", "tokenCount": 300}],
           "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 50}],
           "toolUsePromptTokensDetails": [{"modality": "TEXT", "tokenCount": 40}]}}
        """);
    assertThat(u.format()).isEqualTo(UsageFormat.GEMINI);
    assertThat(u.model()).isEqualTo("gemini-2.0-flash-001");
    // toolUsePromptTokenCount is outside promptTokenCount and billed as input
    assertThat(u.inputTokens()).isEqualTo(1040);
    assertThat(u.toolUsePromptTokens()).isEqualTo(40);
    // thoughtsTokenCount is outside candidatesTokenCount and billed as output
    assertThat(u.outputTokens()).isEqualTo(120);
    assertThat(u.reasoningTokens()).isEqualTo(70);
    assertThat(u.cacheReadTokens()).isEqualTo(300);
    assertThat(u.inputByModality()).isEqualTo(new Modalities(482, 258, 200, 0, 100));
    assertThat(u.cacheReadByModality()).isEqualTo(Modalities.text(300));
    assertThat(u.reportedTotalTokens()).isEqualTo(1160);
    assertThat(u.totalAddsUp()).isTrue();
  }

  @Test
  void geminiOmitsZeroFields() {
    Usage u = UsageParser.parse("g.json", "{\"promptTokenCount\": 5, \"totalTokenCount\": 5}");
    assertThat(u.inputTokens()).isEqualTo(5);
    assertThat(u.outputTokens()).isZero();
    assertThat(u.format()).isEqualTo(UsageFormat.GEMINI);
  }

  @Test
  void openAiStreamTakesTheFinalChunksUsageNeverASum() {
    String sse = """
        data: {"id":"1","model":"google/gemini-2.0-flash-001","choices":[{"delta":{"content":"He"}}],"usage":null}

        : keep-alive comment
        data: {"id":"1","model":"google/gemini-2.0-flash-001","choices":[{"delta":{"content":"llo"}}]}

        data: {"id":"1","model":"google/gemini-2.0-flash-001","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}

        data: [DONE]

        """;
    Usage u = UsageParser.parse("s.sse", sse);
    assertThat(u.inputTokens()).isEqualTo(10);
    assertThat(u.outputTokens()).isEqualTo(2);
    assertThat(u.model()).isEqualTo("google/gemini-2.0-flash-001");
  }

  @Test
  void geminiStreamRepeatsRunningTotalsAndTheLastWins() {
    String sse = "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":1,\"totalTokenCount\":11}}\r\n\r\n"
        + "data: {\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":9,\"totalTokenCount\":19},"
        + "\"modelVersion\":\"gemini-2.0-flash\"}\r\n\r\n";
    Usage u = UsageParser.parse("s.sse", sse);
    assertThat(u.inputTokens()).isEqualTo(10);
    assertThat(u.outputTokens()).isEqualTo(9);
    assertThat(u.model()).isEqualTo("gemini-2.0-flash");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      negative count          | {"usage": {"prompt_tokens": -5, "completion_tokens": 1}} | f: $.usage.prompt_tokens: negative count -5
      fractional count        | {"usage": {"prompt_tokens": 5.5}} | f: $.usage.prompt_tokens: expected a whole number, found 5.5
      count as a string       | {"usage": {"prompt_tokens": "5"}} | f: $.usage.prompt_tokens: expected a whole number, found the string "5"
      huge count              | {"usage": {"prompt_tokens": 99999999999999999999}} | f: $.usage.prompt_tokens: number out of range: 99999999999999999999
      cached over prompt      | {"usage": {"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 11}}} | f: $.usage.prompt_tokens_details.cached_tokens: 11 is more than its whole, prompt_tokens (10)
      cache write over rest   | {"usage": {"prompt_tokens": 10, "prompt_tokens_details": {"cached_tokens": 6, "cache_write_tokens": 5}}} | f: $.usage.prompt_tokens_details.cache_write_tokens: 11 is more than its whole, prompt_tokens (10) together with cached_tokens
      modalities over prompt  | {"usage": {"prompt_tokens": 10, "prompt_tokens_details": {"audio_tokens": 6, "image_tokens": 5}}} | f: $.usage.prompt_tokens_details.video_tokens: 11 is more than its whole, prompt_tokens (10) together with audio_tokens and image_tokens
      reasoning over output   | {"usage": {"prompt_tokens": 1, "completion_tokens": 3, "completion_tokens_details": {"reasoning_tokens": 4}}} | f: $.usage.completion_tokens_details.reasoning_tokens: 4 is more than its whole, completion_tokens (3)
      prompt over total       | {"usage": {"prompt_tokens": 10, "completion_tokens": 1, "total_tokens": 5}} | f: $.usage.prompt_tokens: prompt_tokens 10 is more than total_tokens 5
      usage is null           | {"id": "x", "usage": null} | f: $.usage: the response has no usage (null)
      no usage at all         | {"id": "x", "choices": []} | f: $: no usage found: expected a response with "usage" (OpenAI, Anthropic, Bedrock, Cohere) or "usageMetadata" (Gemini), or a bare usage object
      usage of unknown shape  | {"usage": {"tokens_in": 5}} | f: $.usage: no token counts: expected prompt_tokens and completion_tokens (OpenAI), input_tokens and output_tokens (Anthropic, OpenAI Responses), inputTokens and outputTokens (Bedrock) or billed_units (Cohere)
      anthropic 1h over write | {"usage": {"input_tokens": 1, "output_tokens": 1, "cache_creation_input_tokens": 5, "cache_creation": {"ephemeral_5m_input_tokens": 3, "ephemeral_1h_input_tokens": 3}}} | f: $.usage.cache_creation.ephemeral_1h_input_tokens: 6 is more than its whole, cache_creation_input_tokens (5) together with ephemeral_5m_input_tokens
      responses cached over   | {"usage": {"input_tokens": 5, "output_tokens": 1, "input_tokens_details": {"cached_tokens": 6}}} | f: $.usage.input_tokens_details.cached_tokens: 6 is more than its whole, input_tokens (5)
      litellm write over      | {"usage": {"prompt_tokens": 5, "completion_tokens": 1, "cache_creation_input_tokens": 6}} | f: $.usage.cache_read_input_tokens: 6 is more than its whole, prompt_tokens (5) together with cache_creation_input_tokens
      not an object           | [1, 2] | f: $: expected a response or usage object, found an array
      usage not an object     | {"usage": 5} | f: $.usage: expected an object, found the number 5
      malformed JSON          | {"usage": {"prompt_tokens": 1,}} | f: line 1, column 31: malformed JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start field name
      trailing garbage        | {"usage": {"prompt_tokens": 1}} x | f: line 1, column 34: malformed JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
      negative cost           | {"usage": {"prompt_tokens": 1, "cost": -0.1}} | f: $.usage.cost: negative cost -0.1
      gemini cached over prompt | {"usageMetadata": {"promptTokenCount": 3, "cachedContentTokenCount": 4}} | f: $.usageMetadata.cachedContentTokenCount: 4 is more than its whole, promptTokenCount (3)
      gemini modalities over  | {"usageMetadata": {"promptTokenCount": 3, "promptTokensDetails": [{"modality": "IMAGE", "tokenCount": 4}]}} | f: $.usageMetadata.promptTokensDetails[0].tokenCount: the non-text modalities add up to 4, more than promptTokenCount (3)
      gemini thoughts negative | {"usageMetadata": {"promptTokenCount": 3, "thoughtsTokenCount": -1}} | f: $.usageMetadata.thoughtsTokenCount: negative count -1
      """)
  void badUsageNamesTheField(String what, String json, String message) {
    assertThatThrownBy(() -> UsageParser.parse("f", json))
        .isInstanceOf(UsageException.class)
        .hasMessage(message);
  }

  @Test
  void aStreamWithoutUsageSaysWhy() {
    assertThatThrownBy(() -> UsageParser.parse("s", "data: {\"choices\":[]}\n\ndata: [DONE]\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("s: no event of the stream carries usage")
        .hasMessageContaining("stream_options.include_usage");
  }

  @Test
  void aBrokenStreamLineIsNamed() {
    assertThatThrownBy(() -> UsageParser.parse("s", "data: {\"choices\":[]}\n\ndata: {\"usage\": \n"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("s: line 3: malformed JSON");
    assertThatThrownBy(() -> UsageParser.parse("s", "data: {}\nhello\n"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("s: line 2: not a server-sent event line");
  }

  @Test
  void aBadChunkInAStreamNamesTheLineAndField() {
    assertThatThrownBy(() -> UsageParser.parse("s", "data: {}\ndata: {\"usage\": {\"prompt_tokens\": -1}}\n"))
        .isInstanceOf(UsageException.class)
        .hasMessage("s, line 2: $.usage.prompt_tokens: negative count -1");
  }

  @Test
  void anthropicInputLeavesOutTheCacheWhichIsBilledInputAllTheSame() {
    // Anthropic Messages: input_tokens is what follows the last cache breakpoint
    Usage u = UsageParser.parse("a.json", """
        {"type": "message", "model": "claude-sonnet-4-5", "usage": {"input_tokens": 100, "output_tokens": 20,
         "cache_creation_input_tokens": 2000, "cache_read_input_tokens": 500,
         "cache_creation": {"ephemeral_5m_input_tokens": 1500, "ephemeral_1h_input_tokens": 500}}}""");
    assertThat(u.format()).isEqualTo(UsageFormat.ANTHROPIC);
    assertThat(u.inputTokens()).isEqualTo(2600);
    assertThat(u.cacheWriteTokens()).isEqualTo(2000);
    assertThat(u.cacheReadTokens()).isEqualTo(500);
    assertThat(u.uncachedInputTokens()).isEqualTo(100);
    assertThat(u.outputTokens()).isEqualTo(20);
    assertThat(u.model()).isEqualTo("claude-sonnet-4-5");
  }

  @Test
  void openAiResponsesUsageIsReadNotZero() {
    Usage u = UsageParser.parse("r.json", """
        {"object": "response", "model": "gpt-4.1", "created_at": 1740000000, "usage": {"input_tokens": 100000,
         "input_tokens_details": {"cached_tokens": 40000}, "output_tokens": 5000,
         "output_tokens_details": {"reasoning_tokens": 1200}, "total_tokens": 105000}}""");
    assertThat(u.format()).isEqualTo(UsageFormat.OPENAI_RESPONSES);
    assertThat(u.inputTokens()).isEqualTo(100_000);
    assertThat(u.cacheReadTokens()).isEqualTo(40_000);
    assertThat(u.outputTokens()).isEqualTo(5_000);
    assertThat(u.reasoningTokens()).isEqualTo(1_200);
    assertThat(u.created()).isEqualTo(Instant.ofEpochSecond(1740000000));
  }

  @Test
  void bedrockConverseAddsTheCacheToTheInput() {
    Usage u = UsageParser.parse("b.json", """
        {"usage": {"inputTokens": 100, "outputTokens": 20, "totalTokens": 720, "cacheReadInputTokens": 400,
         "cacheWriteInputTokens": 200}}""");
    assertThat(u.format()).isEqualTo(UsageFormat.BEDROCK);
    assertThat(u.inputTokens()).isEqualTo(700);
    assertThat(u.cacheReadTokens()).isEqualTo(400);
    assertThat(u.cacheWriteTokens()).isEqualTo(200);
    assertThat(u.totalAddsUp()).isTrue();
  }

  @Test
  void cohereBilledUnits() {
    Usage u = UsageParser.parse("c.json", "{\"meta\": {\"billed_units\": {\"input_tokens\": 12, \"output_tokens\": 3}}}");
    assertThat(u.format()).isEqualTo(UsageFormat.COHERE);
    assertThat(u.inputTokens()).isEqualTo(12);
    assertThat(u.outputTokens()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      details           | {"usage": {"prompt_tokens": 3000, "completion_tokens": 10, "prompt_tokens_details": {"cached_tokens": 500, "cache_creation_tokens": 2000}}}
      anthropic's names | {"usage": {"prompt_tokens": 3000, "completion_tokens": 10, "cache_creation_input_tokens": 2000, "cache_read_input_tokens": 500}}
      """)
  void liteLlmCacheWritesAreCacheWritesNotInput(String what, String json) {
    Usage u = UsageParser.parse("l.json", json);
    assertThat(u.inputTokens()).isEqualTo(3000);
    assertThat(u.cacheWriteTokens()).isEqualTo(2000);
    assertThat(u.cacheReadTokens()).isEqualTo(500);
  }

  @Test
  void anthropicStreamJoinsTheStartsInputWithTheLastDeltasOutput() {
    Usage u = UsageParser.parse("a.sse", """
        event: message_start
        data: {"type": "message_start", "message": {"model": "claude-sonnet-4-5", "usage": {"input_tokens": 100, "cache_read_input_tokens": 50, "output_tokens": 1}}}

        event: content_block_delta
        data: {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}

        event: message_delta
        data: {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 15}}

        event: message_delta
        data: {"type": "message_delta", "delta": {}, "usage": {"output_tokens": 42}}

        event: message_stop
        data: {"type": "message_stop"}
        """);
    assertThat(u.inputTokens()).isEqualTo(150);
    assertThat(u.cacheReadTokens()).isEqualTo(50);
    assertThat(u.outputTokens()).isEqualTo(42);
    assertThat(u.model()).isEqualTo("claude-sonnet-4-5");
  }

  @Test
  void responsesStreamTakesTheCompletedResponse() {
    Usage u = UsageParser.parse("r.sse", """
        event: response.created
        data: {"type": "response.created", "response": {"model": "gpt-4.1", "usage": null}}

        event: response.output_text.delta
        data: {"type": "response.output_text.delta", "delta": "Hi"}

        event: response.completed
        data: {"type": "response.completed", "response": {"model": "gpt-4.1", "usage": {"input_tokens": 30, "output_tokens": 7, "total_tokens": 37}}}
        """);
    assertThat(u.format()).isEqualTo(UsageFormat.OPENAI_RESPONSES);
    assertThat(u.inputTokens()).isEqualTo(30);
    assertThat(u.outputTokens()).isEqualTo(7);
    assertThat(u.model()).isEqualTo("gpt-4.1");
  }

  @Test
  void openRouterOnYourOwnKeyKeepsItsFeeApartFromTheUpstreamCharge() {
    Usage u = UsageParser.parse("o.json", """
        {"model": "openai/gpt-4o", "usage": {"prompt_tokens": 1000, "completion_tokens": 100, "cost": 0.0001,
         "is_byok": true, "cost_details": {"upstream_inference_cost": 0.0035}}}""");
    assertThat(u.byok()).isTrue();
    assertThat(u.reportedCost()).isEqualByComparingTo("0.0001");
    assertThat(u.upstreamCost()).isEqualByComparingTo("0.0035");
    assertThat(u.tokensCharge()).isEqualByComparingTo("0.0035");
  }

  @Test
  void groqStreamsCarryTheUsageUnderXGroq() {
    Usage u = UsageParser.parse("g.sse", """
        data: {"id": "x", "model": "llama-3.3-70b-versatile", "choices": [{"delta": {"content": "Hi"}}]}

        data: {"id": "x", "model": "llama-3.3-70b-versatile", "choices": [], "x_groq": {"usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}}

        data: [DONE]
        """);
    assertThat(u.inputTokens()).isEqualTo(12);
    assertThat(u.outputTokens()).isEqualTo(3);
    assertThat(u.model()).isEqualTo("llama-3.3-70b-versatile");
  }

  @Test
  void aShapeTheCallerNamesIsChecked() {
    String chat = "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}";
    assertThat(UsageParser.parse("r.json", chat, UsageFormat.OPENAI).inputTokens()).isEqualTo(10);
    assertThatThrownBy(() -> UsageParser.parse("r.json", chat, UsageFormat.ANTHROPIC))
        .isInstanceOf(UsageException.class)
        .hasMessage("r.json: expected a usage of Anthropic's Messages shape (input_tokens, cache_creation_input_tokens,"
            + " cache_read_input_tokens), found one of OpenAI's chat completions shape (prompt_tokens,"
            + " completion_tokens)");
    // both APIs write a bare input_tokens/output_tokens: either name reads it
    String bare = "{\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}";
    Usage a = UsageParser.parse("r.json", bare, UsageFormat.ANTHROPIC);
    assertThat(a.format()).isEqualTo(UsageFormat.ANTHROPIC);
    assertThat(a.inputTokens()).isEqualTo(10);
    assertThat(UsageParser.parse("r.json", bare, UsageFormat.OPENAI_RESPONSES).format())
        .isEqualTo(UsageFormat.OPENAI_RESPONSES);
    // Anthropic's cache fields are not the Responses API's
    assertThatThrownBy(() -> UsageParser.parse("r.json",
        "{\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":5,\"output_tokens\":2}}",
        UsageFormat.OPENAI_RESPONSES)).hasMessageContaining("found one of Anthropic's Messages shape");
  }

  @Test
  void anthropicThinkingTokensArePartOfTheOutput() {
    Usage u = UsageParser.parse("r.json", "{\"type\":\"message\",\"usage\":{\"input_tokens\":51,\"output_tokens\":162,"
        + "\"output_tokens_details\":{\"thinking_tokens\":112}}}");
    assertThat(u.outputTokens()).isEqualTo(162);
    assertThat(u.reasoningTokens()).isEqualTo(112);
    assertThatThrownBy(() -> UsageParser.parse("r.json", "{\"type\":\"message\",\"usage\":{\"input_tokens\":5,"
        + "\"output_tokens\":10,\"output_tokens_details\":{\"thinking_tokens\":11}}}"))
        .hasMessage("r.json: $.usage.output_tokens_details.thinking_tokens: 11 is more than its whole, output_tokens (10)");
  }
}
