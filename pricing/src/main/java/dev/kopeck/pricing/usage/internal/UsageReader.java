package dev.kopeck.pricing.usage.internal;

import dev.kopeck.base.Modality;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.base.InputException;
import dev.kopeck.pricing.json.Json;
import dev.kopeck.pricing.json.Node;
import dev.kopeck.pricing.usage.Modalities;
import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.UsageException;
import dev.kopeck.pricing.usage.UsageFormat;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The reading behind {@code UsageParser}, also from JSON trees that Kopeck's other modules parsed
 * already (a log line's response). Reads what providers return into a {@link Usage}: a whole response or a bare usage object, in
 * OpenAI-compatible or Gemini shape, or a streamed response saved as server-sent events (the usage
 * of the last chunk that carries one; stream chunks report running totals, so they are never summed).
 *
 * <p>Every problem is a {@link UsageException} naming the JSON path (or the line of an event
 * stream): malformed JSON, a negative or fractional count, a part larger than its whole
 * ({@code cached_tokens} over {@code prompt_tokens}), no usage at all.
 */
public final class UsageReader {
  private UsageReader() {}

  /** Parses JSON or an event stream; {@code source} names the input in errors (a file name). */
  public static Usage parse(String source, String text) {
    if (looksLikeEventStream(text)) {
      return parseEventStream(source, text);
    }
    JsonNode tree;
    try {
      tree = Json.parse(source, text);
    } catch (InputException e) {
      throw new UsageException(e.source(), e.location(), e.problem(), e);
    }
    return fromJson(source, tree);
  }

  /** Reads a response or bare usage already parsed as a JSON tree. */
  private static Usage fromJson(String source, JsonNode tree) {
    return fromJson(source, "$", tree);
  }

  /**
   * Whether a response (or a bare usage) has a usage to read: false for a response object whose
   * {@code usage}/{@code usageMetadata} is null, or that has neither nor a bare count but is plainly a
   * response ({@code choices}, {@code candidates}, {@code id}). The one answer to that question.
   */
  public static boolean carriesUsage(JsonNode response) {
    if (!response.isObject()) {
      return true; // not a response at all: reading it says what is wrong
    }
    if (response.has("usage") || response.has("usageMetadata")) {
      JsonNode u = response.has("usage") ? response.get("usage") : response.get("usageMetadata");
      return u != null && !u.isNull();
    }
    boolean bare = response.has("prompt_tokens") || response.has("completion_tokens") || response.has("promptTokenCount")
        || response.has("candidatesTokenCount") || response.has("totalTokenCount");
    return bare || !(response.has("choices") || response.has("candidates") || response.has("id"));
  }

  /** As {@link #fromJson(String, JsonNode)}, for a tree found at {@code path} of a larger document. */
  public static Usage fromJson(String source, String path, JsonNode tree) {
    try {
      return read(Node.at(source, path, tree));
    } catch (UsageException e) {
      throw e;
    } catch (InputException e) {
      throw new UsageException(e.source(), e.location(), e.problem(), e);
    }
  }

  private static boolean looksLikeEventStream(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\uFEFF' || Character.isWhitespace(c)) {
        continue;
      }
      // an event stream's lines start "data:", "event:", "id:", "retry:" or ":" (a comment); anything
      // else is read as JSON, so that "hello" or 42 is said to be the wrong JSON, not a bad event
      return c == 'd' || c == 'e' || c == 'i' || c == 'r' || c == ':';
    }
    return false;
  }

  private static Usage parseEventStream(String source, String text) {
    Usage last = null;
    String model = null;
    com.fasterxml.jackson.databind.node.ObjectNode anthropic = null;
    String anthropicAt = null;
    int lineNo = 0;
    int dataLines = 0;
    for (String line : text.split("\r\n|\r|\n", -1)) {
      lineNo++;
      if (!line.startsWith("data:")) {
        if (line.isEmpty() || line.startsWith(":") || line.startsWith("event:") || line.startsWith("id:")
            || line.startsWith("retry:")) {
          continue;
        }
        throw new UsageException(source, "line " + lineNo,
            "not a server-sent event line (expected data:, event:, id:, retry: or a comment): "
                + abbreviate(line));
      }
      String payload = line.substring(5).trim();
      if (payload.isEmpty() || payload.equals("[DONE]")) {
        continue;
      }
      dataLines++;
      JsonNode chunk;
      try {
        chunk = Json.MAPPER.readTree(payload);
      } catch (JsonProcessingException e) {
        InputException ie = Json.syntaxError(source, e, 0);
        throw new UsageException(source, "line " + lineNo, ie.problem(), e);
      } catch (NumberFormatException e) {
        throw new UsageException(source, "line " + lineNo, Json.numberError(source, null, e).problem(), e);
      }
      Node root = Node.root(source + ", line " + lineNo, chunk);
      if (!chunk.isObject()) {
        throw root.error("expected a JSON object in the event, found " + Node.describe(chunk));
      }
      String type = chunk.path("type").asText("");
      if (type.equals("message_start") && chunk.path("message").isObject()) {
        // Anthropic: the input counts come first, in the message; each message_delta carries the
        // running output count (and, lately, the input counts again)
        root = root.get("message");
        anthropic = ((com.fasterxml.jackson.databind.node.ObjectNode) chunk.get("message").path("usage")).deepCopy();
        anthropicAt = source + ", line " + lineNo;
      } else if (type.equals("message_delta") && anthropic != null && chunk.path("usage").isObject()) {
        anthropic.setAll((com.fasterxml.jackson.databind.node.ObjectNode) chunk.get("usage"));
        last = anthropic(Node.at(anthropicAt + " and line " + lineNo, "$.usage", anthropic), model);
        continue;
      } else if (type.startsWith("response.") && chunk.path("response").isObject()) {
        // OpenAI Responses: the final event (response.completed, .incomplete, .failed) holds the response
        root = root.get("response");
      }
      String m = modelOf(root);
      if (m != null) {
        model = m;
      }
      if (hasUsage(root)) {
        last = fromJson(root.source(), root.json());
      } else if (chunk.path("x_groq").path("usage").isObject()) {
        // Groq's streams put the final usage under x_groq
        last = fromJson(root.source(), "$.x_groq", chunk.get("x_groq"));
      }
    }
    if (dataLines == 0) {
      throw new UsageException(source, null, "an event stream with no data: lines");
    }
    if (last == null) {
      throw new UsageException(source, null,
          "no event of the stream carries usage (OpenAI-compatible chat completions send it in the last chunk"
              + " only when the request sets stream_options.include_usage)");
    }
    return last.model() == null && model != null ? last.withModel(model) : last;
  }

  private static boolean hasUsage(Node root) {
    return root.has("usage") || root.has("usageMetadata");
  }

  private static String modelOf(Node root) {
    if (root.has("model") && root.json().get("model").isTextual()) {
      return root.get("model").text();
    }
    if (root.has("modelVersion") && root.json().get("modelVersion").isTextual()) {
      return root.get("modelVersion").text();
    }
    return null;
  }

  private static Usage read(Node root) {
    if (!root.isObject()) {
      throw root.error("expected a response or usage object, found " + Node.describe(root.json()));
    }
    String model = modelOf(root);
    if (!carriesUsage(root.json()) && (root.json().has("usageMetadata") || root.json().has("usage"))) {
      String field = root.json().has("usageMetadata") ? "usageMetadata" : "usage";
      throw new UsageException(root.source(), root.pathOf(field), "the response has no usage (null)");
    }
    if (root.json().has("usageMetadata")) {
      return gemini(root.get("usageMetadata").requireObject(), model, created(root, "createTime"));
    }
    if (root.json().has("usage")) {
      Node u = root.get("usage").requireObject();
      BigDecimal topCost = root.has("cost") ? nonNegative(root.get("cost")) : null;
      Usage read = usageObject(root, u, model, topCost);
      // OpenAI (chat and Responses) says at the top which tier ran the call; Anthropic in its usage
      JsonNode tier = root.json().get("service_tier");
      return read.serviceTier() == null && tier != null && tier.isTextual() ? read.withServiceTier(tier.textValue())
          : read;
    }
    if (root.json().has("usage_info") && root.json().get("usage_info").isObject()) {
      return mistralOcr(root.get("usage_info"), model);
    }
    if (root.json().path("response").isObject() && root.json().get("response").has("usage")) {
      // an event that carries the whole response: OpenAI Realtime's response.done, Responses' response.completed
      return read(root.get("response"));
    }
    Node meta = root.get("meta");
    if (meta != null && meta.isObject() && meta.has("billed_units")) {
      return cohere(meta.get("billed_units").requireObject(), model);
    }
    JsonNode j = root.json();
    if (j.has("prompt_tokens") || j.has("completion_tokens")) {
      return openai(root, null, null, null);
    }
    if (j.has("promptTokenCount") || j.has("candidatesTokenCount") || j.has("totalTokenCount")) {
      return gemini(root, null, null);
    }
    if (j.has("inputTokens") || j.has("outputTokens")) {
      return bedrock(root, null);
    }
    if (j.has("input_tokens") || j.has("output_tokens")) {
      return anthropicShape(root, j) ? anthropic(root, null) : responses(root, null, null);
    }
    throw root.error("no usage found: expected a response with \"usage\" (OpenAI, Anthropic, Bedrock, Cohere) or"
        + " \"usageMetadata\" (Gemini), or a bare usage object");
  }

  /** A response's {@code usage} object, by the fields it has (the provider's shape). */
  private static Usage usageObject(Node root, Node u, String model, BigDecimal topCost) {
    JsonNode j = u.json();
    Instant created = created(root, "created");
    if (j.has("input_token_details") || j.has("output_token_details")) {
      return realtime(u, model);
    }
    if (j.has("tokens") && !j.has("billed_units") && !j.has("input_tokens") && !j.has("prompt_tokens")) {
      return cohereTokens(u, model);
    }
    if (j.has("prompt_tokens") || j.has("completion_tokens")) {
      return openai(u, model, created, topCost);
    }
    if (j.has("inputTokens") || j.has("outputTokens")) {
      return bedrock(u, model);
    }
    if (j.has("input_tokens") || j.has("output_tokens")) {
      return anthropicShape(u, root.json()) ? anthropic(u, model)
          : responses(u, model, root.has("created_at") ? created(root, "created_at") : created);
    }
    if (j.has("billed_units")) {
      return cohere(u.get("billed_units").requireObject(), model);
    }
    throw u.error("no token counts: expected prompt_tokens and completion_tokens (OpenAI), input_tokens and"
        + " output_tokens (Anthropic, OpenAI Responses), inputTokens and outputTokens (Bedrock) or billed_units"
        + " (Cohere)");
  }

  /** Anthropic's usage names its cache fields; OpenAI's Responses usage has details objects instead. */
  private static boolean anthropicShape(Node u, JsonNode response) {
    JsonNode j = u.json();
    return j.has("cache_creation_input_tokens") || j.has("cache_read_input_tokens") || j.has("cache_creation")
        || j.has("server_tool_use") || "message".equals(response.path("type").asText(null));
  }

  // ---- Anthropic Messages ----

  /**
   * Anthropic's {@code input_tokens} counts only the tokens after the last cache breakpoint: cache
   * reads and writes are on top of it, and all three are billed input.
   */
  private static Usage anthropic(Node u, String model) {
    long in = count(u, "input_tokens");
    long write = count(u, "cache_creation_input_tokens");
    long read = count(u, "cache_read_input_tokens");
    long out = count(u, "output_tokens");
    Node cc = u.get("cache_creation");
    if (cc != null) {
      cc.requireObject();
      long ttl = Math.addExact(count(cc, "ephemeral_5m_input_tokens"), count(cc, "ephemeral_1h_input_tokens"));
      if (u.has("cache_creation_input_tokens")) {
        partOf(cc, "ephemeral_1h_input_tokens", ttl, "cache_creation_input_tokens (" + write
            + ") together with ephemeral_5m_input_tokens", write);
      } else {
        write = ttl;
      }
    }
    long input = Math.addExact(Math.addExact(in, write), read);
    Usage.Builder b = Usage.builder().format(UsageFormat.ANTHROPIC).model(model).inputTokens(input)
        .cacheReadTokens(read).cacheWriteTokens(write).outputTokens(out);
    Node tools = u.get("server_tool_use");
    if (tools != null && tools.isObject()) {
      b.webSearches(count(tools, "web_search_requests"));
    }
    if (u.has("service_tier") && u.json().get("service_tier").isTextual()) {
      b.serviceTier(u.get("service_tier").text());
    }
    reasoning(u, "thinking_tokens", out, b);
    return build(u, b);
  }

  // ---- OpenAI Responses ----

  private static Usage responses(Node u, String model, Instant created) {
    long in = count(u, "input_tokens");
    long out = count(u, "output_tokens");
    Usage.Builder b = Usage.builder().format(UsageFormat.OPENAI_RESPONSES).model(model).created(created)
        .inputTokens(in).outputTokens(out);
    total(u, b, "input_tokens", in, "output_tokens", out);
    Node id = u.get("input_tokens_details");
    if (id != null) {
      id.requireObject();
      long cached = count(id, "cached_tokens");
      long write = count(id, "cache_write_tokens");
      partOf(id, "cached_tokens", cached, "input_tokens (" + in + ")", in);
      partOf(id, "cache_write_tokens", cached + write, "input_tokens (" + in + ") together with cached_tokens", in);
      b.cacheReadTokens(cached).cacheWriteTokens(write);
    }
    reasoning(u, "reasoning_tokens", out, b);
    return build(u, b);
  }

  /** {@code output_tokens_details.<field>}: the reasoning part of {@code output_tokens} (Responses, Anthropic). */
  private static void reasoning(Node u, String field, long out, Usage.Builder b) {
    Node od = u.get("output_tokens_details");
    if (od != null) {
      od.requireObject();
      long reasoning = count(od, field);
      partOf(od, field, reasoning, "output_tokens (" + out + ")", out);
      b.reasoningTokens(reasoning);
    }
  }

  // ---- AWS Bedrock Converse ----

  /** Bedrock's {@code inputTokens} leaves out cache reads and writes, as Anthropic's does; all are billed input. */
  private static Usage bedrock(Node u, String model) {
    long in = count(u, "inputTokens");
    long read = count(u, "cacheReadInputTokens");
    long write = count(u, "cacheWriteInputTokens");
    long out = count(u, "outputTokens");
    long input = Math.addExact(Math.addExact(in, read), write);
    Usage.Builder b = Usage.builder().format(UsageFormat.BEDROCK).model(model).inputTokens(input)
        .cacheReadTokens(read).cacheWriteTokens(write).outputTokens(out);
    if (u.has("totalTokens")) {
      b.reportedTotalTokens(count(u, "totalTokens"));
    }
    return build(u, b);
  }

  // ---- Cohere ----

  private static Usage cohere(Node billed, String model) {
    Usage.Builder b = Usage.builder().format(UsageFormat.COHERE).model(model)
        .inputTokens(count(billed, "input_tokens")).outputTokens(count(billed, "output_tokens"));
    return build(billed, b);
  }

  /**
   * Cohere's usage without {@code billed_units}: the tokens the model saw ({@code tokens}) are what
   * is priced, and {@code cached_tokens} is the part of the input read from its cache, as
   * genai-prices' {@code tokens} flavour reads it.
   */
  private static Usage cohereTokens(Node u, String model) {
    Node t = u.get("tokens").requireObject();
    long in = count(t, "input_tokens");
    long cached = count(u, "cached_tokens");
    partOf(u, "cached_tokens", cached, "tokens.input_tokens (" + in + ")", in);
    Usage.Builder b = Usage.builder().format(UsageFormat.COHERE).model(model).inputTokens(in).cacheReadTokens(cached)
        .outputTokens(count(t, "output_tokens"));
    return build(u, b);
  }

  // ---- OpenAI Realtime ----

  /**
   * OpenAI's Realtime usage: {@code input_tokens} split into text, audio and image tokens, of which
   * {@code cached_tokens} (split the same way) were read from the cache; {@code output_tokens} into
   * text and audio. xAI's voice API adds {@code billable_audio_seconds}, the seconds it bills by.
   */
  private static Usage realtime(Node u, String model) {
    long in = count(u, "input_tokens");
    long out = count(u, "output_tokens");
    Usage.Builder b = Usage.builder().format(UsageFormat.OPENAI_REALTIME).model(model).inputTokens(in)
        .outputTokens(out);
    total(u, b, "input_tokens", in, "output_tokens", out);
    Node id = u.get("input_token_details");
    if (id != null) {
      id.requireObject();
      String whole = "input_tokens (" + in + ")";
      long audio = count(id, "audio_tokens");
      long image = count(id, "image_tokens");
      long cached = count(id, "cached_tokens");
      partOf(id, "audio_tokens", audio, whole, in);
      partOf(id, "image_tokens", audio + image, whole + " together with audio_tokens", in);
      partOf(id, "cached_tokens", cached, whole, in);
      b.inputAudioTokens(audio).inputImageTokens(image).cacheReadTokens(cached).modalitiesReported(true);
      Node cd = id.get("cached_tokens_details");
      if (cd != null) {
        cd.requireObject();
        long ca = count(cd, "audio_tokens");
        long ci = count(cd, "image_tokens");
        partOf(cd, "audio_tokens", ca, "input_token_details.audio_tokens (" + audio + ")", audio);
        partOf(cd, "image_tokens", ci, "input_token_details.image_tokens (" + image + ")", image);
        partOf(cd, "image_tokens", ca + ci, "cached_tokens (" + cached + ") together with audio_tokens", cached);
        partOf(cd, "image_tokens", cached - ca - ci, "input text tokens (" + (in - audio - image)
            + "), as the cached text", in - audio - image);
        b.cacheReadByModality(new Modalities(cached - ca - ci, ci, ca, 0, 0));
      }
    }
    Node od = u.get("output_token_details");
    if (od != null) {
      od.requireObject();
      long audio = count(od, "audio_tokens");
      partOf(od, "audio_tokens", audio, "output_tokens (" + out + ")", out);
      b.outputAudioTokens(audio);
    }
    if (u.has("billable_audio_seconds")) {
      BigDecimal s = nonNegative(u.get("billable_audio_seconds"));
      b.media(dev.kopeck.pricing.usage.MediaCounts.UNKNOWN.withAudioSeconds(s));
    }
    return build(u, b);
  }

  // ---- Mistral OCR ----

  /** Mistral's OCR bills pages, not tokens: {@code usage_info.pages_processed}. */
  private static Usage mistralOcr(Node info, String model) {
    long pages = count(info, "pages_processed");
    if (!info.has("pages_processed")) {
      throw new UsageException(info.source(), info.pathOf("pages_processed"), "required field is missing");
    }
    Usage.Builder b = Usage.builder().format(UsageFormat.MISTRAL_OCR).model(model)
        .media(dev.kopeck.pricing.usage.MediaCounts.UNKNOWN.withPages(pages));
    return build(info, b);
  }

  private static Instant created(Node root, String field) {
    Node c = root.get(field);
    if (c == null) {
      return null;
    }
    if (c.json().isNumber()) {
      Instant t = c.json().canConvertToLong() ? dev.kopeck.base.internal.UnixTime.parse(c.json().longValue()) : null;
      if (t == null || !c.json().isIntegralNumber()) {
        throw c.error("expected " + dev.kopeck.base.internal.UnixTime.EXPECTED + ", found " + c.json().asText());
      }
      return t;
    }
    try {
      return Instant.parse(c.text());
    } catch (DateTimeParseException e) {
      throw c.error("not an ISO instant: \"" + c.text() + "\"");
    }
  }

  // ---- OpenAI-compatible ----

  private static Usage openai(Node u, String model, Instant created, BigDecimal topCost) {
    Usage.Builder b = Usage.builder().format(UsageFormat.OPENAI).model(model).created(created);
    Node promptNode = u.get("prompt_tokens");
    long prompt = count(u, "prompt_tokens");
    long completion = count(u, "completion_tokens");
    b.inputTokens(prompt).outputTokens(completion);
    boolean hasTotal = total(u, b, "prompt_tokens", prompt, "completion_tokens", completion);
    if (!hasTotal && promptNode == null && !u.has("completion_tokens")) {
      throw u.error("no token counts: expected prompt_tokens and completion_tokens");
    }
    Node pd = u.get("prompt_tokens_details");
    // LiteLLM's names: cache writes as prompt_tokens_details.cache_creation_tokens or, with cache reads,
    // at the top of usage in Anthropic's words; parts of prompt_tokens all the same
    long topWrite = count(u, "cache_creation_input_tokens");
    long topRead = count(u, "cache_read_input_tokens");
    if (pd == null && (topWrite > 0 || topRead > 0)) {
      partOf(u, "cache_read_input_tokens", topRead + topWrite, "prompt_tokens (" + prompt
          + ") together with cache_creation_input_tokens", prompt);
      b.cacheReadTokens(topRead).cacheWriteTokens(topWrite);
    }
    if (pd != null) {
      pd.requireObject();
      String whole = "prompt_tokens (" + prompt + ")";
      long cached = pd.has("cached_tokens") ? count(pd, "cached_tokens") : topRead;
      long write = pd.has("cache_write_tokens") ? count(pd, "cache_write_tokens")
          : pd.has("cache_creation_tokens") ? count(pd, "cache_creation_tokens") : topWrite;
      partOf(pd, "cached_tokens", cached, whole, prompt);
      partOf(pd, pd.has("cache_creation_tokens") ? "cache_creation_tokens" : "cache_write_tokens", cached + write,
          whole + " together with cached_tokens", prompt);
      long audio = count(pd, "audio_tokens");
      long image = count(pd, "image_tokens");
      long video = count(pd, "video_tokens");
      partOf(pd, "audio_tokens", audio, whole, prompt);
      partOf(pd, "image_tokens", image, whole, prompt);
      partOf(pd, "video_tokens", video, whole, prompt);
      partOf(pd, "video_tokens", audio + image + video, whole + " together with audio_tokens and image_tokens",
          prompt);
      b.cacheReadTokens(cached).cacheWriteTokens(write)
          .inputAudioTokens(audio).inputImageTokens(image).inputVideoTokens(video)
          .modalitiesReported(pd.has("audio_tokens") || pd.has("image_tokens") || pd.has("video_tokens"));
    }
    Node cd = u.get("completion_tokens_details");
    // reasoning, citations counted outside completion_tokens: xAI's and Perplexity's top-level counts,
    // and xAI's completion_tokens_details.reasoning_tokens (its total_tokens is prompt + completion +
    // reasoning); what is outside is added to the output, and is a part of it
    long outsideReasoning = count(u, "reasoning_tokens");
    long citations = count(u, "citation_tokens");
    boolean detailOutside = cd != null && cd.isObject() && reasoningOutside(u, cd, model, prompt, completion);
    if (detailOutside) {
      outsideReasoning = Math.addExact(outsideReasoning, count(cd, "reasoning_tokens"));
    }
    long output = Math.addExact(Math.addExact(completion, outsideReasoning), citations);
    b.outputTokens(output).reasoningTokens(outsideReasoning).citationTokens(citations)
        .webSearches(count(u, "num_search_queries"));
    if (pd == null || !pd.has("cached_tokens")) {
      // xAI's older usage names its cache reads cached_prompt_text_tokens; Mistral's num_cached_tokens
      String field = u.has("cached_prompt_text_tokens") ? "cached_prompt_text_tokens" : "num_cached_tokens";
      long cached = count(u, field);
      if (cached > 0) {
        partOf(u, field, cached, "prompt_tokens (" + prompt + ")", prompt);
        b.cacheReadTokens(cached);
      }
    }
    if (cd != null) {
      cd.requireObject();
      String whole = "completion_tokens (" + completion + ")";
      long reasoning = detailOutside ? 0 : count(cd, "reasoning_tokens");
      long audio = count(cd, "audio_tokens");
      long image = count(cd, "image_tokens");
      long accepted = count(cd, "accepted_prediction_tokens");
      long rejected = count(cd, "rejected_prediction_tokens");
      partOf(cd, "reasoning_tokens", reasoning, whole, completion);
      partOf(cd, "audio_tokens", audio, whole, completion);
      partOf(cd, "image_tokens", image, whole, completion);
      partOf(cd, "image_tokens", reasoning + audio + image,
          whole + " together with reasoning_tokens and audio_tokens", completion);
      partOf(cd, "accepted_prediction_tokens", accepted, whole, completion);
      partOf(cd, "rejected_prediction_tokens", accepted + rejected,
          whole + " together with accepted_prediction_tokens", completion);
      b.reasoningTokens(outsideReasoning + reasoning).outputAudioTokens(audio).outputImageTokens(image)
          .acceptedPredictionTokens(accepted).rejectedPredictionTokens(rejected);
    }
    if (u.has("cost")) {
      b.reportedCost(nonNegative(u.get("cost")));
    } else if (topCost != null) {
      b.reportedCost(topCost);
    }
    // OpenRouter: with your own key (is_byok), cost is its fee and the upstream provider's charge is apart
    Node details = u.get("cost_details");
    if (details != null && details.isObject() && details.has("upstream_inference_cost")) {
      b.upstreamCost(nonNegative(details.get("upstream_inference_cost")));
    }
    if (u.has("is_byok")) {
      if (!u.get("is_byok").json().isBoolean()) {
        throw u.get("is_byok").error("expected true or false, found " + Node.describe(u.get("is_byok").json()));
      }
      b.byok(u.get("is_byok").json().booleanValue());
    }
    return build(u, b);
  }

  /**
   * Whether {@code completion_tokens_details.reasoning_tokens} is outside {@code completion_tokens},
   * as xAI counts it (docs.x.ai, "reasoning": completion_tokens leaves the reasoning out, and
   * total_tokens = prompt + completion + reasoning). The total decides when there is one (a Grok
   * model through a router that counts reasoning inside, as OpenRouter does, has a total of prompt +
   * completion); without one, a Grok model's reasoning is outside.
   */
  private static boolean reasoningOutside(Node u, Node cd, String model, long prompt, long completion) {
    long reasoning = count(cd, "reasoning_tokens");
    if (reasoning == 0) {
      return false;
    }
    if (u.has("total_tokens")) {
      long total = count(u, "total_tokens");
      return total != prompt + completion && total == prompt + completion + reasoning;
    }
    return model != null && model.toLowerCase(java.util.Locale.ROOT).contains("grok");
  }

  // ---- Gemini ----

  private static Usage gemini(Node u, String model, Instant created) {
    Usage.Builder b = Usage.builder().format(UsageFormat.GEMINI).model(model).created(created);
    long prompt = count(u, "promptTokenCount");
    long candidates = count(u, "candidatesTokenCount");
    long cached = count(u, "cachedContentTokenCount");
    long thoughts = count(u, "thoughtsTokenCount");
    long toolUse = count(u, "toolUsePromptTokenCount");
    partOf(u, "cachedContentTokenCount", cached, "promptTokenCount (" + prompt + ")", prompt);
    long input = Math.addExact(prompt, toolUse);
    long output = Math.addExact(candidates, thoughts);
    b.inputTokens(input).outputTokens(output).cacheReadTokens(cached).toolUsePromptTokens(toolUse)
        .reasoningTokens(thoughts);
    if (u.has("totalTokenCount")) {
      long total = count(u, "totalTokenCount");
      requirePart(u, "promptTokenCount", prompt, "totalTokenCount", total);
      requirePart(u, "candidatesTokenCount", candidates, "totalTokenCount", total);
      b.reportedTotalTokens(total);
    }
    Map<Modality, Long> promptMods = modalities(u, "promptTokensDetails", prompt, "promptTokenCount");
    Map<Modality, Long> toolMods = modalities(u, "toolUsePromptTokensDetails", toolUse, "toolUsePromptTokenCount");
    b.inputImageTokens(promptMods.get(Modality.IMAGE) + toolMods.get(Modality.IMAGE))
        .inputAudioTokens(promptMods.get(Modality.AUDIO) + toolMods.get(Modality.AUDIO))
        .inputVideoTokens(promptMods.get(Modality.VIDEO) + toolMods.get(Modality.VIDEO))
        .inputDocumentTokens(promptMods.get(Modality.DOCUMENT) + toolMods.get(Modality.DOCUMENT))
        .modalitiesReported(u.has("promptTokensDetails"));
    if (u.has("cacheTokensDetails")) {
      b.cacheReadByModality(cacheByModality(u, cached, input, promptMods, toolMods));
    }
    if (u.has("serviceTier") && u.json().get("serviceTier").isTextual()) {
      b.serviceTier(u.get("serviceTier").text());
    }
    Map<Modality, Long> outMods = modalities(u, "candidatesTokensDetails", candidates, "candidatesTokenCount");
    b.outputAudioTokens(outMods.get(Modality.AUDIO)).outputImageTokens(outMods.get(Modality.IMAGE));
    return build(u, b);
  }

  /**
   * Gemini's {@code cacheTokensDetails} as cached tokens by modality. Gemini leaves out a modality
   * with no cached tokens, and sometimes lists less than {@code cachedContentTokenCount}: a modality
   * not listed counts none of the listed tokens, and what the list leaves unattributed is taken from
   * what the prompt still has uncached, text first, then audio, image, video, document. A listed
   * count larger than the prompt's own count of that modality is an error there.
   */
  private static Modalities cacheByModality(Node u, long cached, long input, Map<Modality, Long> promptMods,
      Map<Modality, Long> toolMods) {
    Map<Modality, Long> c = modalities(u, "cacheTokensDetails", cached, "cachedContentTokenCount");
    boolean reported = u.has("promptTokensDetails");
    long listed = 0;
    for (Modality m : Modality.values()) {
      listed = Math.addExact(listed, c.get(m));
    }
    if (listed > cached) {
      throw new UsageException(u.source(), u.pathOf("cacheTokensDetails"), "lists " + listed
          + " tokens, more than cachedContentTokenCount (" + cached + ")");
    }
    Map<Modality, Long> room = new EnumMap<>(Modality.class);
    long nonText = 0;
    for (Modality m : Modality.values()) {
      if (m != Modality.TEXT) {
        room.put(m, promptMods.get(m) + toolMods.get(m));
        nonText += room.get(m);
      }
    }
    room.put(Modality.TEXT, Math.max(0, input - nonText));
    for (Modality m : Modality.values()) {
      if (reported && c.get(m) > room.get(m)) {
        throw new UsageException(u.source(), u.pathOf("cacheTokensDetails"), "lists " + c.get(m) + " cached "
            + m.name() + " tokens, more than the prompt's " + room.get(m));
      }
      room.put(m, room.get(m) - c.get(m));
    }
    long rest = cached - listed;
    for (Modality m : new Modality[] {Modality.TEXT, Modality.AUDIO, Modality.IMAGE, Modality.VIDEO,
        Modality.DOCUMENT}) {
      long take = reported ? Math.min(rest, room.get(m)) : m == Modality.TEXT ? rest : 0;
      c.put(m, c.get(m) + take);
      rest -= take;
    }
    if (rest > 0) {
      throw new UsageException(u.source(), u.pathOf("cachedContentTokenCount"), cached
          + " is more than the prompt's tokens by modality can hold");
    }
    return new Modalities(c.get(Modality.TEXT), c.get(Modality.IMAGE), c.get(Modality.AUDIO), c.get(Modality.VIDEO),
        c.get(Modality.DOCUMENT));
  }

  /**
   * A Gemini modality list ({@code [{"modality": "IMAGE", "tokenCount": 258}]}) as counts; the
   * non-text counts together must not exceed {@code whole}. Unknown modalities count as text.
   */
  private static Map<Modality, Long> modalities(Node u, String field, long whole, String wholeName) {
    Map<Modality, Long> out = new EnumMap<>(Modality.class);
    for (Modality m : Modality.values()) {
      out.put(m, 0L);
    }
    Node list = u.get(field);
    if (list == null) {
      return out;
    }
    long nonText = 0;
    for (Node e : list.elements()) {
      e.requireObject();
      Node mn = e.get("modality");
      String name = mn == null ? "MODALITY_UNSPECIFIED" : mn.text();
      long n = count(e, "tokenCount");
      Modality m;
      try {
        m = Modality.valueOf(name);
      } catch (IllegalArgumentException unknown) {
        m = Modality.TEXT;
      }
      out.put(m, Math.addExact(out.get(m), n));
      if (m != Modality.TEXT) {
        nonText = Math.addExact(nonText, n);
        if (nonText > whole) {
          throw new UsageException(u.source(), e.pathOf("tokenCount"),
              "the non-text modalities add up to " + nonText + ", more than " + wholeName + " (" + whole + ")");
        }
      }
    }
    return out;
  }

  // ---- shared ----

  private static long count(Node parent, String field) {
    Node n = parent.get(field);
    if (n == null) {
      return 0;
    }
    long v = n.count();
    if (v > Usage.MAX_COUNT) {
      throw n.error(String.format(java.util.Locale.ROOT, "%,d is more than any call's count (at most %,d)", v,
          Usage.MAX_COUNT));
    }
    return v;
  }

  private static BigDecimal nonNegative(Node n) {
    BigDecimal d = n.decimal();
    if (d.signum() < 0) {
      throw n.error("negative cost " + d.toPlainString());
    }
    return d;
  }

  private static void partOf(Node parent, String field, long part, String wholeDesc, long whole) {
    if (part > whole) {
      throw new UsageException(parent.source(), parent.pathOf(field),
          part + " is more than its whole, " + wholeDesc);
    }
  }

  /**
   * The usage's {@code total_tokens}, when it has one: each of the two counts must be part of it, and
   * it is kept as reported. Returns whether there was one.
   */
  private static boolean total(Node u, Usage.Builder b, String inKey, long in, String outKey, long out) {
    if (!u.has("total_tokens")) {
      return false;
    }
    long total = count(u, "total_tokens");
    requirePart(u, inKey, in, "total_tokens", total);
    requirePart(u, outKey, out, "total_tokens", total);
    b.reportedTotalTokens(total);
    return true;
  }

  private static void requirePart(Node parent, String partField, long part, String wholeField, long whole) {
    if (part > whole) {
      throw new UsageException(parent.source(), parent.pathOf(partField),
          partField + " " + part + " is more than " + wholeField + " " + whole);
    }
  }

  private static Usage build(Node u, Usage.Builder b) {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(u.source(), u.path(), "inconsistent usage: " + e.getMessage(), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
