package dev.kopeck.usage.internal;

import dev.kopeck.base.Modality;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.base.InputException;
import dev.kopeck.json.Json;
import dev.kopeck.json.Node;
import dev.kopeck.usage.Modalities;
import dev.kopeck.usage.Usage;
import dev.kopeck.usage.UsageException;
import dev.kopeck.usage.UsageFormat;
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
      return c != '{' && c != '[';
    }
    return false;
  }

  private static Usage parseEventStream(String source, String text) {
    Usage last = null;
    String model = null;
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
      }
      Node root = Node.root(source + ", line " + lineNo, chunk);
      if (!chunk.isObject()) {
        throw root.error("expected a JSON object in the event, found " + Node.describe(chunk));
      }
      String m = modelOf(root);
      if (m != null) {
        model = m;
      }
      if (hasUsage(root)) {
        last = fromJson(source + ", line " + lineNo, chunk);
      }
    }
    if (dataLines == 0) {
      throw new UsageException(source, null, "an event stream with no data: lines");
    }
    if (last == null) {
      throw new UsageException(source, null,
          "no chunk of the stream carries usage (OpenAI-compatible APIs send it in the last chunk only"
              + " when the request sets stream_options.include_usage)");
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
      Node u = root.get("usage");
      BigDecimal topCost = root.has("cost") ? nonNegative(root.get("cost")) : null;
      return openai(u.requireObject(), model, created(root, "created"), topCost);
    }
    JsonNode j = root.json();
    if (j.has("prompt_tokens") || j.has("completion_tokens")) {
      return openai(root, null, null, null);
    }
    if (j.has("promptTokenCount") || j.has("candidatesTokenCount") || j.has("totalTokenCount")) {
      return gemini(root, null, null);
    }
    throw root.error("no usage found: expected a response with \"usage\" (OpenAI-compatible) or"
        + " \"usageMetadata\" (Gemini), or a bare usage object");
  }

  private static Instant created(Node root, String field) {
    Node c = root.get(field);
    if (c == null) {
      return null;
    }
    if (c.json().isNumber()) {
      long s = c.wholeNumber();
      try {
        return Instant.ofEpochSecond(s);
      } catch (java.time.DateTimeException e) {
        throw c.error("not a Unix time in seconds: " + s);
      }
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
    if (u.has("total_tokens")) {
      long total = count(u, "total_tokens");
      requirePart(u, "prompt_tokens", prompt, "total_tokens", total);
      requirePart(u, "completion_tokens", completion, "total_tokens", total);
      b.reportedTotalTokens(total);
    } else if (promptNode == null && !u.has("completion_tokens")) {
      throw u.error("no token counts: expected prompt_tokens and completion_tokens");
    }
    Node pd = u.get("prompt_tokens_details");
    if (pd != null) {
      pd.requireObject();
      String whole = "prompt_tokens (" + prompt + ")";
      long cached = count(pd, "cached_tokens");
      long write = count(pd, "cache_write_tokens");
      partOf(pd, "cached_tokens", cached, whole, prompt);
      partOf(pd, "cache_write_tokens", cached + write, whole + " together with cached_tokens", prompt);
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
    if (cd != null) {
      cd.requireObject();
      String whole = "completion_tokens (" + completion + ")";
      long reasoning = count(cd, "reasoning_tokens");
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
      b.reasoningTokens(reasoning).outputAudioTokens(audio).outputImageTokens(image)
          .acceptedPredictionTokens(accepted).rejectedPredictionTokens(rejected);
    }
    if (u.has("cost")) {
      b.reportedCost(nonNegative(u.get("cost")));
    } else if (topCost != null) {
      b.reportedCost(topCost);
    }
    return build(u, b);
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
      Map<Modality, Long> c = modalities(u, "cacheTokensDetails", cached, "cachedContentTokenCount");
      long nonText = c.get(Modality.IMAGE) + c.get(Modality.AUDIO) + c.get(Modality.VIDEO) + c.get(Modality.DOCUMENT);
      Modalities cm = new Modalities(cached - nonText, c.get(Modality.IMAGE), c.get(Modality.AUDIO),
          c.get(Modality.VIDEO), c.get(Modality.DOCUMENT));
      b.cacheReadByModality(cm);
    }
    Map<Modality, Long> outMods = modalities(u, "candidatesTokensDetails", candidates, "candidatesTokenCount");
    b.outputAudioTokens(outMods.get(Modality.AUDIO)).outputImageTokens(outMods.get(Modality.IMAGE));
    return build(u, b);
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
    return n == null ? 0 : n.count();
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
