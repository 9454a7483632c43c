package dev.kopeck.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo as a user runs it, against a real server on loopback answering as the router does. */
class OpenAiBudgetDemoTest {
  static final String MODEL = "google/gemini-2.0-flash-001";
  static final String ANSWER = "{\"id\":\"gen-1\",\"model\":\"" + MODEL + "\",\"object\":\"chat.completion\","
      + "\"created\":1741608000,\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi.\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,\"total_tokens\":1200}}";
  static final String STREAM = "data: {\"id\":\"gen-2\",\"object\":\"chat.completion.chunk\",\"created\":1741608000,"
      + "\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi.\"}}]}\n\n"
      + "data: {\"id\":\"gen-2\",\"object\":\"chat.completion.chunk\",\"created\":1741608000,\"model\":\"" + MODEL
      + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":500,\"completion_tokens\":100,\"total_tokens\":600}}\n\n"
      + "data: [DONE]\n\n";

  static String request(int maxTokens, boolean stream) {
    return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + maxTokens + (stream ? ",\"stream\":true" : "")
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi.\"}]}";
  }

  @Test
  void eachLineIsAdmittedChargedRefusedOrFailedAndTheTotalsAdd(@TempDir Path dir) throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody(ANSWER).setHeader("Content-Type", "application/json"));
      server.enqueue(new MockResponse().setBody(STREAM).setHeader("Content-Type", "text/event-stream"));
      server.enqueue(new MockResponse().setResponseCode(500).setBody("{\"error\":{\"message\":\"upstream broke\"}}"));
      server.start();
      Path f = dir.resolve("requests.jsonl");
      Files.write(f, List.of(request(100, false), request(100, true), "{not json", request(100, false),
          request(1_000_000, false)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = OpenAiBudgetDemo.run(new String[] {"--base-url", server.url("/api/v1").toString(), "--api-key", "k",
          "--limit", "0.1", "--scope", "team:ml", f.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(code).isZero();
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      // 1000 x 15/1M + 200 x 60/1M = 0.027; 500 x 15/1M + 100 x 60/1M = 0.0135
      assertThat(lines.get(0)).isEqualTo("{\"line\":1,\"admitted\":true,\"cost\":\"0.027\"}");
      assertThat(lines.get(1)).isEqualTo("{\"line\":2,\"admitted\":true,\"cost\":\"0.0135\"}");
      assertThat(lines.get(2)).startsWith("{\"line\":3,\"admitted\":false,\"error\":\"not JSON");
      assertThat(lines.get(3)).startsWith("{\"line\":4,\"admitted\":true,\"error\":\"");
      assertThat(lines.get(4)).startsWith("{\"line\":5,\"admitted\":false,\"refusal\":\"Kopeck refused the call: the budget of team:ml");
      assertThat(lines.get(5)).isEqualTo("{\"spent\":\"0.0405\",\"reserved\":\"0\"}");
      assertThat(server.getRequestCount()).isEqualTo(3);
    }
  }

  /** gpt-4o, priced by the catalog of public prices: a budget in USD, each call's cost the catalog's price. */
  @Test
  void aCatalogModelIsBudgetedInItsCurrency(@TempDir Path dir) throws Exception {
    String answer = ANSWER.replace(MODEL, "gpt-4o-2024-08-06");
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setBody(answer).setHeader("Content-Type", "application/json"));
      server.enqueue(new MockResponse().setBody(answer).setHeader("Content-Type", "application/json"));
      server.start();
      Path f = dir.resolve("requests.jsonl");
      String req = request(100, false).replace(MODEL, "gpt-4o");
      Files.write(f, List.of(req, req));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = OpenAiBudgetDemo.run(new String[] {"--base-url", server.url("/v1").toString(), "--api-key", "k",
          "--limit", "0.05", "--currency", "USD", "--scope", "team:ml", f.toString()},
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(code).isZero();
      List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
      // the catalog's gpt-4o: 1000 x 2.5/1M + 200 x 10/1M = 0.0045 USD
      assertThat(lines).containsExactly("{\"line\":1,\"admitted\":true,\"cost\":\"0.0045\"}",
          "{\"line\":2,\"admitted\":true,\"cost\":\"0.0045\"}", "{\"spent\":\"0.009\",\"reserved\":\"0\"}");
    }
  }

  @Test
  void badArgumentsAreOneLineAndExitTwo() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = OpenAiBudgetDemo.run(new String[] {"--limit", "x"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8).lines().count()).isEqualTo(1);
  }
}
