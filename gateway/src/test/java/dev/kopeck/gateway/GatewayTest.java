package dev.kopeck.gateway;

import static dev.kopeck.testkit.GuardedClientContract.ANSWER;
import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static dev.kopeck.testkit.GuardedClientContract.RESPONSE;
import static dev.kopeck.testkit.GuardedClientContract.responsesSse;
import static dev.kopeck.testkit.GuardedClientContract.sse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.testkit.GuardedClientContract;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway driven by the official {@code openai} npm SDK (a Node process, as a service in another
 * language would call it) against the test's own upstream on loopback, priced with the router's
 * Gemini 2.0 Flash tariff: input 15 RUB/1M, output 60 RUB/1M, so 1,000 in and 200 out cost 0.027 RUB.
 */
class GatewayTest {
  static final String REAL = "sk-real-upstream-key";
  static final String KEY_A = "sk-team-a";
  static final String KEY_B = "sk-team-b";
  static final Scope TEAM_A = Scope.of("team:a");
  static final String KEYS = "{\"keys\":[{\"key\":\"" + KEY_A + "\",\"scope\":\"team:a\",\"limit\":\"0.5\",\"currency\":"
      + "\"RUB\",\"period\":\"month\"},{\"key_sha256\":\"" + KeyRing.sha256(KEY_B) + "\",\"scope\":\"team:b\","
      + "\"limit\":\"0.0001\",\"currency\":\"RUB\",\"period\":\"month\"}]}";

  @TempDir Path dir;
  Path keys;
  Upstream upstream;
  InMemoryLedger ledger;
  Gateway gateway;
  final List<String> log = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    upstream = new Upstream();
    keys = dir.resolve("keys.json");
    Files.writeString(keys, KEYS);
    ledger = InMemoryLedger.builder().clock(GuardedClientContract.CLOCK).build();
    gateway = Gateway.builder(GuardedClientContract.guard(ledger)).listen("127.0.0.1", 0).upstream(upstream.base())
        .upstreamKey(REAL).keys(keys).keysPoll(Duration.ofMillis(50)).log(log::add).start();
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  static ObjectNode chatBody(int maxTokens) {
    ObjectNode b = NodeClient.JSON.createObjectNode().put("model", MODEL).put("max_tokens", maxTokens);
    b.putArray("messages").addObject().put("role", "user").put("content", "Say hello in three words.");
    return b;
  }

  static ObjectNode responsesBody() {
    ObjectNode b = NodeClient.JSON.createObjectNode().put("model", MODEL).put("max_output_tokens", 100)
        .put("instructions", "Be brief.");
    b.put("input", "Say hello in three words.");
    return b;
  }

  static ArrayNode steps() {
    return NodeClient.JSON.createArrayNode();
  }

  static ObjectNode step(ArrayNode steps, String op, String key, ObjectNode body) {
    ObjectNode s = steps.addObject().put("op", op).put("key", key);
    s.set("body", body);
    return s;
  }

  private void assertUpstreamSawOnlyTheRealKey() {
    assertThat(upstream.seen).isNotEmpty();
    for (Upstream.Seen s : upstream.seen) {
      assertThat(s.header("Authorization")).isEqualTo("Bearer " + REAL);
      assertThat(s.headers().toString()).doesNotContain(KEY_A).doesNotContain(KEY_B);
    }
  }

  @Test
  void plainAndStreamedChatCallsArePricedExactly() throws Exception {
    NodeClient.requireNode();
    upstream.enqueue(Upstream.Answer.json(200, ANSWER));
    upstream.enqueue(Upstream.Answer.sse(sse(true)));
    ArrayNode steps = steps();
    step(steps, "chat", KEY_A, chatBody(100));
    step(steps, "chat-stream", KEY_A, chatBody(100)); // without include_usage: the gateway asks for it
    List<JsonNode> got = NodeClient.run(gateway.baseUrl(), steps);

    assertThat(got.get(0).path("status").asInt()).isEqualTo(200);
    assertThat(got.get(0).path("text").asText()).isEqualTo("Hello there, friend.");
    assertThat(got.get(0).path("cost").asText()).isEqualTo("0.027"); // 1000 x 15/1M + 200 x 60/1M
    assertThat(got.get(0).path("currency").asText()).isEqualTo("RUB");
    assertThat(got.get(0).path("remaining").asText()).isEqualTo("0.473");
    assertThat(got.get(1).path("text").asText()).isEqualTo("Hello there, friend.");
    assertThat(got.get(1).path("usage").isNull()).isTrue(); // the usage chunk it did not ask for is left out
    assertThat(upstream.seen.get(1).body()).contains("\"stream_options\":{\"include_usage\":true}");
    assertThat(upstream.seen.get(0).path()).isEqualTo("/api/v1/chat/completions");
    assertThat(ledger.status(TEAM_A).spentNanos()).isEqualTo(54_000_000L);
    assertThat(ledger.status(TEAM_A).reservedNanos()).isZero();
    assertUpstreamSawOnlyTheRealKey();
  }

  @Test
  void aStreamThatAskedForItsUsageGetsIt() throws Exception {
    NodeClient.requireNode();
    upstream.enqueue(Upstream.Answer.sse(sse(true)));
    ArrayNode steps = steps();
    ObjectNode body = chatBody(100);
    body.putObject("stream_options").put("include_usage", true);
    step(steps, "chat-stream", KEY_A, body);
    JsonNode got = NodeClient.run(gateway.baseUrl(), steps).get(0);
    assertThat(got.path("usage").path("prompt_tokens").asInt()).isEqualTo(1000);
    assertThat(ledger.status(TEAM_A).spentNanos()).isEqualTo(27_000_000L);
  }

  @Test
  void responsesPlainAndStreamedArePricedExactly() throws Exception {
    NodeClient.requireNode();
    upstream.enqueue(Upstream.Answer.json(200, RESPONSE));
    upstream.enqueue(Upstream.Answer.sse(responsesSse(true)));
    ArrayNode steps = steps();
    step(steps, "responses", KEY_A, responsesBody());
    step(steps, "responses-stream", KEY_A, responsesBody());
    List<JsonNode> got = NodeClient.run(gateway.baseUrl(), steps);
    assertThat(got.get(0).path("cost").asText()).isEqualTo("0.027");
    assertThat(got.get(0).path("text").asText()).isEqualTo("Hello there, friend.");
    assertThat(got.get(1).path("text").asText()).isEqualTo("Hello there, friend.");
    assertThat(got.get(1).path("usage").path("input_tokens").asInt()).isEqualTo(1000);
    assertThat(upstream.seen.get(0).path()).isEqualTo("/api/v1/responses");
    assertThat(ledger.status(TEAM_A).spentNanos()).isEqualTo(54_000_000L);
    assertThat(ledger.status(TEAM_A).reservedNanos()).isZero();
  }

  @Test
  void aRefusalIs402InOpenAisShapeAndNeverReachesUpstream() throws Exception {
    NodeClient.requireNode();
    ArrayNode steps = steps();
    step(steps, "chat", KEY_B, chatBody(100));
    step(steps, "chat-stream", KEY_B, chatBody(100));
    for (JsonNode got : NodeClient.run(gateway.baseUrl(), steps)) {
      JsonNode e = got.path("error");
      assertThat(e.path("status").asInt()).isEqualTo(402);
      assertThat(e.path("type").asText()).isEqualTo("insufficient_budget");
      assertThat(e.path("code").asText()).isEqualTo("budget_exceeded");
      assertThat(e.path("message").asText()).contains("team:b").contains("0.0001 RUB left of 0.0001");
    }
    assertThat(upstream.seen).isEmpty();
  }

  @Test
  void anUnknownOrMissingKeyIs401AndNeverReachesUpstream() throws Exception {
    NodeClient.requireNode();
    ArrayNode steps = steps();
    step(steps, "chat", "sk-nobody", chatBody(100));
    step(steps, "models", "sk-nobody", null);
    for (JsonNode got : NodeClient.run(gateway.baseUrl(), steps)) {
      assertThat(got.path("error").path("status").asInt()).isEqualTo(401);
      assertThat(got.path("error").path("code").asText()).isEqualTo("invalid_api_key");
    }
    HttpResponse<String> none = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(gateway.baseUrl() + "/models")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).startsWith("{\"error\":{\"message\":");
    assertThat(upstream.seen).isEmpty();
  }

  @Test
  void otherCallsPassThroughWithTheRealKey() throws Exception {
    NodeClient.requireNode();
    upstream.enqueue(Upstream.Answer.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL
        + "\",\"object\":\"model\",\"created\":1,\"owned_by\":\"google\"}]}"));
    ArrayNode steps = steps();
    step(steps, "models", KEY_A, null);
    JsonNode got = NodeClient.run(gateway.baseUrl(), steps).get(0);
    assertThat(got.path("ids").get(0).asText()).isEqualTo(MODEL);
    assertThat(upstream.seen.get(0).path()).isEqualTo("/api/v1/models");
    assertUpstreamSawOnlyTheRealKey();
  }

  @Test
  void anUpstreamErrorPassesThroughAndReleases() throws Exception {
    NodeClient.requireNode();
    upstream.enqueue(Upstream.Answer.json(500, "{\"error\":{\"message\":\"upstream broke\",\"type\":\"server_error\"}}"));
    ArrayNode steps = steps();
    step(steps, "chat", KEY_A, chatBody(100));
    JsonNode got = NodeClient.run(gateway.baseUrl(), steps).get(0);
    assertThat(got.path("error").path("status").asInt()).isEqualTo(500);
    assertThat(got.path("error").path("message").asText()).contains("upstream broke");
    assertThat(ledger.status(TEAM_A).reservedNanos()).isZero();
    assertThat(ledger.status(TEAM_A).spentNanos()).isZero();
  }

  @Test
  void metricsTotalsEqualTheSumOfTheCostHeaders() throws Exception {
    NodeClient.requireNode();
    upstream.enqueue(Upstream.Answer.json(200, ANSWER));
    upstream.enqueue(Upstream.Answer.json(200, ANSWER.replace("\"completion_tokens\":200", "\"completion_tokens\":7")));
    upstream.enqueue(Upstream.Answer.json(200, RESPONSE));
    ArrayNode steps = steps();
    step(steps, "chat", KEY_A, chatBody(100));
    step(steps, "chat", KEY_A, chatBody(100));
    step(steps, "responses", KEY_A, responsesBody());
    step(steps, "chat", KEY_B, chatBody(100)); // refused: costs nothing
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode got : NodeClient.run(gateway.baseUrl(), steps)) {
      if (got.has("cost")) {
        sum = sum.add(new BigDecimal(got.path("cost").asText()));
      }
    }
    assertThat(sum).isEqualByComparingTo("0.06942"); // 0.027 + 0.01542 (1000 x 15/1M + 7 x 60/1M) + 0.027
    String metrics = get("/metrics").body();
    assertThat(total(metrics, "kopeck_cost_total")).isCloseTo(sum.doubleValue(), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(total(metrics, "kopeck_scope_cost_total\\{[^}]*scope=\"team:a\"")).isCloseTo(sum.doubleValue(),
        org.assertj.core.data.Offset.offset(1e-12));
    assertThat(metrics).contains("kopeck_refusals_total");
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void theKeysFileIsReloadedWhenItChangesAndABadOneIsRefused() throws Exception {
    NodeClient.requireNode();
    // a bad file: refused with its JSON path, and the keys in force stay
    Files.writeString(keys, KEYS.replace("\"limit\":\"0.5\"", "\"limit\":\"half\""));
    waitFor(() -> log.stream().anyMatch(l -> l.contains("$.keys[0].limit")));
    assertThat(log).anyMatch(l -> l.contains("keys.json: $.keys[0].limit: not a decimal number: \"half\"")
        && l.contains("the keys in force stay"));
    assertThat(get("/v1/models", KEY_A).statusCode()).isNotEqualTo(401);

    // a good one: the new key works, the removed one does not, the new limit is in force
    Files.writeString(keys, "{\"keys\":[{\"key\":\"sk-team-c\",\"scope\":\"team:c\",\"limit\":\"1\",\"currency\":\"RUB\","
        + "\"period\":\"day\"}]}");
    waitFor(() -> log.stream().anyMatch(l -> l.contains("1 key in force")));
    upstream.enqueue(Upstream.Answer.json(200, ANSWER));
    ArrayNode steps = steps();
    step(steps, "chat", "sk-team-c", chatBody(100));
    step(steps, "chat", KEY_A, chatBody(100));
    List<JsonNode> got = NodeClient.run(gateway.baseUrl(), steps);
    assertThat(got.get(0).path("remaining").asText()).isEqualTo("0.973");
    assertThat(got.get(1).path("error").path("status").asInt()).isEqualTo(401);

    // the file goes away: said once, in words, and the keys in force stay
    Files.delete(keys);
    waitFor(() -> log.stream().anyMatch(l -> l.contains("no such file")));
    Thread.sleep(300); // six more polls
    assertThat(log.stream().filter(l -> l.contains("no such file")))
        .containsExactly("kopeck gateway: " + keys + ": no such file (the keys in force stay)");
    assertThat(get("/v1/models", "sk-team-c").statusCode()).isNotEqualTo(401);
    gateway.reloadKeys(" (SIGHUP)");
    assertThat(log).last().isEqualTo("kopeck gateway: " + keys + ": no such file (the keys in force stay) (SIGHUP)");
  }

  @Test
  void aStreamPassesChunkByChunk() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    String all = sse(true);
    int cut = all.indexOf("\n\n") + 2;
    upstream.enqueue(new Upstream.Answer(200, "text/event-stream", List.of(all.substring(0, cut), all.substring(cut)),
        gate));
    String body = chatBody(100).put("stream", true).toString();
    HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(gateway.baseUrl() + "/chat/completions")).header("Authorization", "Bearer " + KEY_A)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      // the first event arrives while the upstream still holds the rest
      assertThat(in.readLine()).startsWith("data: {").contains("Hello");
      assertThat(gate.getCount()).isEqualTo(1);
      gate.countDown();
      StringBuilder rest = new StringBuilder();
      String l;
      while ((l = in.readLine()) != null) {
        rest.append(l).append('\n');
      }
      assertThat(rest).contains(" friend.").contains("[DONE]").doesNotContain("\"usage\"");
    }
    assertThat(ledger.status(TEAM_A).spentNanos()).isEqualTo(27_000_000L);
  }

  @Test
  void aBadKeysFileAtStartIsRefusedWithItsPath() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"keys\":[{\"key\":\"a\",\"scope\":\"s\",\"limit\":\"1\",\"currency\":\"RUB\",\"period\":"
        + "\"month\"},{\"key\":\"a\",\"scope\":\"t\",\"limit\":\"1\",\"currency\":\"RUB\",\"period\":\"month\"}]}");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gateway.builder(GuardedClientContract.guard(ledger))
            .listen("127.0.0.1", 0).upstream(upstream.base()).upstreamKey(REAL).keys(bad).start())
        .isInstanceOf(dev.kopeck.base.InputException.class)
        .hasMessage(bad + ": $.keys[1]: the same key as $.keys[0]");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return get(path, null);
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    URI base = gateway.baseUrl();
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sum of the samples of {@code metric} (a name, or a name and the start of its labels). */
  static double total(String metrics, String metric) {
    Matcher m = Pattern.compile("(?m)^" + metric + "[^ \\n]* ([0-9.eE+-]+)$").matcher(metrics);
    double sum = 0;
    boolean any = false;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      any = true;
    }
    assertThat(any).as(metric + " in\n" + metrics).isTrue();
    return sum;
  }

  static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
    long until = System.nanoTime() + 10_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("not within 10 s");
      }
      Thread.sleep(20);
    }
  }
}
