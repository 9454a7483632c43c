package dev.kopeck.core.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.core.estimate.Calibration;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Conversation;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.tokens.Tokenizers;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pre-flight estimate, against the bundled tariff and the real vocabularies. */
public class EstimateTest {
  static final ObjectMapper M = new ObjectMapper();
  /** Requests that name no model are estimated as the router's Gemini 2.0 Flash: a default configured explicitly. */
  static final Estimator EST = Estimator.builder()
      .registry(dev.kopeck.core.model.ModelRegistry.builder().defaultModel("google/gemini-2.0-flash-001").build())
      .clock(Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC)).build();
  /** No default model: the standard registry. */
  static final Estimator STANDARD = Estimator.builder()
      .clock(Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC)).build();
  static final Path MEDIA = Path.of("../tokens/src/test/resources/media");

  /** "hello" then " hello" n-1 times: exactly n gemma3 tokens ("hello", "▁hello", ...). */
  public static String hellos(int n) {
    StringBuilder sb = new StringBuilder(6 * n).append("hello");
    for (int i = 1; i < n; i++) {
      sb.append(" hello");
    }
    return sb.toString();
  }

  static ChatRequest user(String text, Integer maxTokens) throws Exception {
    ObjectNode r = M.createObjectNode();
    r.put("model", "google/gemini-2.0-flash-001");
    ArrayNode ms = r.putArray("messages");
    ms.addObject().put("role", "user").put("content", text);
    if (maxTokens != null) {
      r.put("max_tokens", maxTokens);
    }
    return ChatRequestParser.parse("r", r.toString());
  }

  @Test
  void theHelloTextCountsWhatItClaims() {
    assertThat(Tokenizers.require("gemma3").count(hellos(1000))).isEqualTo(1000);
  }

  @Test
  void multimodalRequestByHand() throws Exception {
    Estimate e = EST.estimate(ChatRequestParser.parse("m",
        Files.readString(Path.of("../docs/examples/multimodal-request.json"))));
    // image 1000x500: 2 tiles x 258; audio 2.5 s: ceil(32 x 2.5) = 80; PDF 3 pages x 258
    assertThat(e.input().image()).isEqualTo(516);
    assertThat(e.input().audio()).isEqualTo(80);
    assertThat(e.input().document()).isEqualTo(774);
    assertThat(e.images()).isEqualTo(1);
    long text = e.input().text();
    assertThat(e.toolTokens()).isEqualTo(Tokenizers.require("gemma3").count(
        "[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"description\":\"Look a word up\",\"parameters\":"
            + "{\"type\":\"object\",\"properties\":{\"word\":{\"type\":\"string\"}},\"required\":[\"word\"]}}}]"));
    // input (text + document at 15/1M), one image at 3.91/1K images, audio at 70/1M; output at 60/1M
    BigDecimal min = BigDecimal.valueOf(text + 774).multiply(new BigDecimal("0.000015"))
        .add(new BigDecimal("0.00391"))
        .add(new BigDecimal("80").multiply(new BigDecimal("0.00007")));
    assertThat(e.costMin().amount()).isEqualByComparingTo(min);
    assertThat(e.costExpected().amount()).isEqualByComparingTo(min.add(new BigDecimal("0.01536")));
    assertThat(e.costMax().amount()).isEqualByComparingTo(min.add(new BigDecimal("0.06144")));
    assertThat(e.outputMax()).isEqualTo(1024);
    assertThat(e.outputExpected()).isEqualTo(256);
    assertThat(e.warnings()).anyMatch(w -> w.contains("tool declarations"));
    assertThat(e.warnings()).anyMatch(w -> w.startsWith("input images are billed per image: The page prices input"
        + " images \"per 1K tokens\"; read here as per 1K images"));
  }

  @Test
  void aModelWithoutAnOpenTokenizerIsAnEstimateWithABound() {
    String text = "The quick brown fox jumps over the lazy dog. ".repeat(40);
    ChatRequest r = ChatRequestParser.parse("r", "{\"model\": \"anthropic/claude-3.5-sonnet\", \"max_tokens\": 10,"
        + " \"messages\": [{\"role\": \"user\", \"content\": \"" + text + "\"}]}");
    Estimate e = EST.estimate(r);
    assertThat(e.tokenizer().exact()).isFalse();
    assertThat(e.tokenizer().label()).isEqualTo("estimate ±35% (o200k_base)");
    long counted = dev.kopeck.tokens.Tokenizers.require("o200k_base").count(text);
    assertThat(e.rawTextTokens()).isEqualTo(counted);
    assertThat(e.textSlack()).isEqualTo((long) Math.ceil(counted * 0.35));
    // the most it can cost prices the text at its upper bound; the least and expected, at the estimate
    Estimate exactly = EST.estimate(r, "google/gemini-2.0-flash-001");
    assertThat(exactly.tokenizer().exact()).isTrue();
    assertThat(exactly.textSlack()).isZero();
    assertThat(e.costMax().amount()).isGreaterThan(e.costExpected().amount());
    assertThat(e.warnings()).anyMatch(w -> w.startsWith("the text is counted with o200k_base, not "
        + "anthropic/claude-3.5-sonnet's own tokenizer (Anthropic publishes no tokenizer for Claude 3 and later): an "
        + "estimate within ±35%"));
  }

  @Test
  void calibrationNarrowsTheBound() {
    Calibration c = Calibration.parse("c.json", "{\"kopeck_calibration_format\": 1, \"models\": {"
        + "\"anthropic/claude-3.5-sonnet\": {\"calls\": 50, \"text_ratio\": \"1.2\", \"message_overhead\": \"0\","
        + " \"output_p50\": 5, \"output_p95\": 9, \"text_bound\": \"0.05\"}}}");
    Estimator calibrated = Estimator.builder().calibration(c)
        .clock(Clock.fixed(Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC)).build();
    ChatRequest r = ChatRequestParser.parse("r", "{\"model\": \"anthropic/claude-3.5-sonnet\", \"max_tokens\": 10,"
        + " \"messages\": [{\"role\": \"user\", \"content\": \"" + "word ".repeat(100) + "\"}]}");
    Estimate e = calibrated.estimate(r);
    assertThat(e.tokenizer().label()).isEqualTo("estimate ±5% (o200k_base × 1.2)");
    long calibratedText = (long) Math.ceil(e.rawTextTokens() * 1.2);
    assertThat(e.input().text()).isGreaterThanOrEqualTo(calibratedText);
    assertThat(e.textSlack()).isEqualTo((long) Math.ceil(calibratedText * 0.05));
    assertThat(c.toJson()).contains("\"text_bound\": \"0.05\"");
  }

  @Test
  void justUnderAndJustOverTheMillion() throws Exception {
    ChatRequest at = user(hellos(1_048_576), 8192);
    Estimate e = EST.estimate(at);
    assertThat(e.input().total()).isEqualTo(1_048_576);
    assertThat(e.contextRemaining()).isZero();
    assertThat(e.fits()).isTrue();
    assertThat(EST.fits(at, null)).isTrue();
    ChatRequest over = user(hellos(1_048_577), 8192);
    Estimate o = EST.estimate(over);
    assertThat(o.input().total()).isEqualTo(1_048_577);
    assertThat(o.contextRemaining()).isEqualTo(-1);
    assertThat(o.fits()).isFalse();
    assertThat(EST.fits(over, null)).isFalse();
    // the input alone at 15/1M, the output at 60/1M
    assertThat(e.costMin().toPlainString()).isEqualTo("15.72864");
    assertThat(e.costMax().toPlainString()).isEqualTo("16.22016");
  }

  @Test
  void outputBeyondTheModelsLimitDoesNotFit() throws Exception {
    Estimate e = EST.estimate(user("hi", 8193));
    assertThat(e.fits()).isFalse();
    assertThat(EST.estimate(user("hi", null)).outputMax()).isEqualTo(8192);
  }

  @Test
  void nChoicesMultiplyTheOutput() throws Exception {
    ObjectNode r = (ObjectNode) M.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":100,\"n\":3}");
    Estimate e = EST.estimate(ChatRequestParser.parse("r", r.toString()));
    assertThat(e.outputMax()).isEqualTo(300);
    assertThat(e.outputExpected()).isEqualTo(300);
    assertThat(e.requestedOutput()).isEqualTo(100);
  }

  @Test
  void remoteImageAssumesTheWorstCaseAndSaysSo() throws Exception {
    JsonNode r = M.readTree("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"https://example.com/cat.jpg\"}}]}]}");
    Estimate e = EST.estimate(ChatRequestParser.parse("r", r.toString()));
    assertThat(e.input().image()).isEqualTo(4128);
    assertThat(e.warnings()).contains("$.messages[0].content[0].image_url.url: remote image of unknown size: assumed"
        + " the worst case, 4128 tokens");
    Estimator knowing = Estimator.builder().registry(EST.registry()).remoteMedia(url -> java.util.Optional.of(
        dev.kopeck.tokens.media.MediaProbe.probe(MEDIA.resolve("png-1000x500.png")))).build();
    assertThat(knowing.estimate(ChatRequestParser.parse("r", r.toString())).input().image()).isEqualTo(516);
  }

  @Test
  void geminiNativeRequest() throws Exception {
    String png = Base64.getEncoder().encodeToString(Files.readAllBytes(MEDIA.resolve("jpeg-384x384.jpg")));
    JsonNode r = M.readTree("{\"systemInstruction\":{\"parts\":[{\"text\":\"hello hello\"}]},"
        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hello\"},{\"inlineData\":{\"mimeType\":\"image/jpeg\","
        + "\"data\":\"" + png + "\"}}]},{\"role\":\"model\",\"parts\":[{\"text\":\"hello hello hello\"}]}],"
        + "\"generationConfig\":{\"maxOutputTokens\":50,\"candidateCount\":2}}");
    Estimate e = EST.estimate(ChatRequestParser.parse("g", r.toString()));
    assertThat(e.input().text()).isEqualTo(6);
    assertThat(e.input().image()).isEqualTo(258);
    assertThat(e.outputMax()).isEqualTo(100);
  }

  @Test
  void calibrationReplacesTheDefaults() throws Exception {
    Calibration c = Calibration.of(Map.of("google/gemini-2.0-flash-001",
        new Calibration.Model(100, new BigDecimal("1.5"), new BigDecimal("4"), 40, 300)));
    Estimator e = Estimator.builder().calibration(c).build();
    Estimate x = e.estimate(user(hellos(10), 1000));
    // ceil(10 x 1.5 + 4 per message)
    assertThat(x.input().text()).isEqualTo(19);
    assertThat(x.overheadTokens()).isEqualTo(4);
    assertThat(x.outputExpected()).isEqualTo(40);
    assertThat(Calibration.parse("c", c.toJson()).find("google/gemini-2.0-flash-001")).contains(
        c.find("google/gemini-2.0-flash-001").orElseThrow());
  }

  @Test
  void appendingCountsOnlyTheNewMessage() {
    Conversation c = EST.conversation("google/gemini-2.0-flash-001");
    c.append("system", hellos(10));
    c.append("user", hellos(500_000));
    assertThat(c.tokens()).isEqualTo(500_010);
    c.append("assistant", hellos(3));
    assertThat(c.tokens()).isEqualTo(500_013);
    assertThat(c.fits(500_013)).isTrue();
    assertThat(c.fits(500_012)).isFalse();
  }

  @Test
  void fittingDropsTheOldestTurnsThenCuts() throws Exception {
    ObjectNode r = M.createObjectNode();
    ArrayNode ms = r.putArray("messages");
    ms.addObject().put("role", "system").put("content", hellos(10));
    for (int t = 0; t < 4; t++) {
      ms.addObject().put("role", "user").put("content", hellos(100));
      ms.addObject().put("role", "assistant").put("content", hellos(50));
    }
    ms.addObject().put("role", "user").put("content", hellos(200));
    ChatRequest req = ChatRequestParser.parse("r", r.toString());
    Conversation c = EST.conversation(req, null);
    assertThat(c.tokens()).isEqualTo(10 + 4 * 150 + 200);
    // a budget of 520: drop the two oldest turns (150 each) to reach 510
    Conversation.Fit f = c.fitTo(520);
    assertThat(f.fits()).isTrue();
    assertThat(f.after()).isEqualTo(510);
    assertThat(f.dropped()).containsExactly("dropped messages 1-2 (user turn, 150 tokens)",
        "dropped messages 3-4 (user turn, 150 tokens)");
    JsonNode out = M.readTree(f.request()).get("messages");
    assertThat(out).hasSize(6);
    assertThat(out.get(0).get("role").asText()).isEqualTo("system");
    assertThat(out.get(5).get("content").asText()).isEqualTo(hellos(200));
    // what takes the room: the system prompt's 10, the messages kept the rest, nothing else
    assertThat(f.room()).isEqualTo(new Conversation.Room(10, 500, 0, 0));
    // a budget of 100: everything but the system prompt and the newest user turn goes, then the user text is cut
    Conversation.Fit g = EST.conversation(req, null).fitTo(100);
    assertThat(g.fits()).isTrue();
    assertThat(g.after()).isLessThanOrEqualTo(100);
    JsonNode left = M.readTree(g.request()).get("messages");
    assertThat(left).hasSize(2);
    String cut = left.get(1).get("content").asText();
    assertThat(hellos(200)).startsWith(cut);
    assertThat(Tokenizers.require("gemma3").count(cut)).isEqualTo(g.after() - 10);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      no messages        | {"model": "x", "messages": []}                                   | r: $.messages: no messages
      bad role           | {"messages": [{"role": "robot", "content": "hi"}]}               | r: $.messages[0].role: unknown role "robot"; expected one of [assistant, developer, function, system, tool, user]
      bad part type      | {"messages": [{"role": "user", "content": [{"type": "sound"}]}]} | r: $.messages[0].content[0].type: unknown content part type "sound"; expected text, image_url, input_audio or file
      negative max       | {"messages": [{"role": "user", "content": "hi"}], "max_tokens": -1} | r: $.max_tokens: must be positive: -1
      content as number  | {"messages": [{"role": "user", "content": 5}]}                   | r: $.messages[0].content: expected an array, found the number 5
      bad detail         | {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png", "detail": "ultra"}}]}]} | r: $.messages[0].content[0].image_url.detail: unknown detail "ultra"; expected auto, low or high
      neither shape      | {"prompt": "hi"}                                                 | r: $: not a chat request: expected "messages" (OpenAI-compatible), "input" (OpenAI's Responses) or "contents" (Gemini)
      responses no input | {"input": []}                                                    | r: $.input: no input
      responses bad part | {"input": [{"role": "user", "content": [{"type": "image_url"}]}]} | r: $.input[0].content[0].type: unknown content part type "image_url"; expected input_text, output_text, input_image, input_file or input_audio
      responses no image | {"input": [{"role": "user", "content": [{"type": "input_image"}]}]} | r: $.input[0].content[0].image_url: required field is missing
      responses zero max | {"input": "hi", "max_output_tokens": 0}                          | r: $.max_output_tokens: must be positive: 0
      """)
  void aMalformedRequestNamesThePath(String what, String json, String message) {
    assertThatThrownBy(() -> ChatRequestParser.parse("r", json)).isInstanceOf(InputException.class).hasMessage(message);
  }

  /** OpenAI's Responses API counts as the same conversation written as chat messages. */
  @Test
  void aResponsesRequestCountsAsItsChatTwin() throws Exception {
    String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(MEDIA.resolve("png-1000x500.png")));
    String responses = "{\"model\":\"google/gemini-2.0-flash-001\",\"instructions\":\"Be brief.\",\"max_output_tokens\":50,"
        + "\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"What is this?\"},"
        + "{\"type\":\"input_image\",\"image_url\":\"" + image + "\"}]},"
        + "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"A picture.\"}]},"
        + "{\"role\":\"user\",\"content\":\"Say more.\"}]}";
    String chat = "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":50,\"messages\":["
        + "{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is this?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + image + "\"}}]},"
        + "{\"role\":\"assistant\",\"content\":\"A picture.\"},{\"role\":\"user\",\"content\":\"Say more.\"}]}";
    ChatRequest r = ChatRequestParser.parse("r", responses);
    assertThat(r.shape()).isEqualTo(ChatRequest.Shape.OPENAI_RESPONSES);
    assertThat(r.maxOutputTokens()).isEqualTo(50);
    Estimate a = EST.estimate(r);
    Estimate b = EST.estimate(ChatRequestParser.parse("r", chat));
    assertThat(a.input()).isEqualTo(b.input());
    assertThat(a.costMax()).isEqualTo(b.costMax());
  }

  @Test
  void aResponsesRequestFitsByDroppingOldInputItems() throws Exception {
    String responses = "{\"model\":\"google/gemini-2.0-flash-001\",\"instructions\":\"Be brief.\",\"input\":["
        + "{\"role\":\"user\",\"content\":\"" + hellos(300) + "\"},{\"role\":\"assistant\",\"content\":\"ok\"},"
        + "{\"role\":\"user\",\"content\":\"Say more.\"}]}";
    Conversation.Fit f = EST.conversation(ChatRequestParser.parse("r", responses), null).fitTo(100);
    assertThat(f.fits()).isTrue();
    JsonNode out = M.readTree(f.request());
    assertThat(out.get("instructions").asText()).isEqualTo("Be brief.");
    assertThat(out.get("input")).hasSize(1);
    assertThat(out.get("input").get(0).get("content").asText()).isEqualTo("Say more.");
  }

  @Test
  void aFormatTheModelDoesNotTakeIsWarned() throws Exception {
    String gif = "data:image/gif;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(MEDIA.resolve("gif-200x100.gif")));
    Estimate e = EST.estimate(ChatRequestParser.parse("r", "{\"model\":\"google/gemini-2.0-flash-001\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + gif + "\"}}]}]}"));
    assertThat(e.warnings()).anyMatch(w -> w.startsWith("$.messages[0].content[0].image_url.url: Gemini takes PNG, JPEG,"
        + " WEBP, HEIC and HEIF images, not GIF"));
  }

  @Test
  void brokenMediaInARequestNamesThePart() throws Exception {
    JsonNode r = M.readTree("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA\"}}]}]}");
    assertThatThrownBy(() -> EST.estimate(ChatRequestParser.parse("r", r.toString())))
        .isInstanceOf(InputException.class)
        .hasMessage("$.messages[0].content[0].image_url.url: byte 18: png: truncated: the data ends before byte 18");
  }

  @Test
  void aRequestNamingNoModelIsRefusedWithoutAConfiguredDefault() {
    ChatRequest r = ChatRequestParser.parse("r", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    assertThatThrownBy(() -> STANDARD.estimate(r)).isInstanceOf(InputException.class)
        .hasMessageStartingWith("no model is named: give the model");
  }

  @Test
  void anUnknownModelIsRefusedWithTheCloseNames() {
    ChatRequest r = ChatRequestParser.parse("r", "{\"model\": \"gtp-4o\", \"messages\": [{\"role\": \"user\","
        + " \"content\": \"hi\"}]}");
    assertThatThrownBy(() -> STANDARD.estimate(r)).isInstanceOf(dev.kopeck.pricing.tariff.UnknownModelException.class)
        .hasMessageContaining("unknown model \"gtp-4o\"").hasMessageContaining("gpt-4o");
  }

}
