package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kopeck as a user runs it, over the jar and class-data archive that package made: a command,
 * and the gateway as a process with a real upstream on loopback, its keys file reloaded on SIGHUP.
 */
class LauncherIT {
  static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  static final Path LAUNCHER = ROOT.resolve("bin/kopeck");

  @TempDir Path dir;

  @Test
  void aCommandRunsThroughTheLauncher() throws Exception {
    Path text = dir.resolve("hello.txt");
    Files.writeString(text, "Hello, world!\n");
    Process p = new ProcessBuilder(LAUNCHER.toString(), "count", "--model", "gpt-4o", "--json", text.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("\"tokens\":4"); // o200k_base: "Hello", ",", " world", "!\\n"
  }

  /**
   * Every byte-level vocabulary in the packaged jar has its tables beside it (build/VocabularyTables.java),
   * both stored, not deflated, and the tables belong to it: a first count reads them instead of building them.
   */
  @Test
  void theJarCarriesEachVocabularysTablesReadyToUse() throws Exception {
    try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(ROOT.resolve("cli/target/kopeck.jar").toFile())) {
      List<String> vocabularies = jar.stream().map(java.util.zip.ZipEntry::getName)
          .filter(n -> n.startsWith("META-INF/kopeck/vocab/") && n.endsWith(".kbbl")).toList();
      assertThat(vocabularies).contains("META-INF/kopeck/vocab/o200k_base.kbbl", "META-INF/kopeck/vocab/llama3.kbbl");
      for (String name : vocabularies) {
        java.util.zip.ZipEntry file = jar.getEntry(name);
        java.util.zip.ZipEntry tables = jar.getEntry(name.replace(".kbbl", ".kbbt"));
        assertThat(tables).as(name + "'s tables").isNotNull();
        assertThat(file.getMethod()).as(name).isEqualTo(java.util.zip.ZipEntry.STORED);
        assertThat(tables.getMethod()).as(tables.getName()).isEqualTo(java.util.zip.ZipEntry.STORED);
        // the tables' header names their vocabulary file: magic, version, layout, its length, its CRC-32C
        // (the tables' own reading is ReadyTablesTest's, in the tokens module, whose package this one cannot see)
        try (var in = jar.getInputStream(file); var t = jar.getInputStream(tables)) {
          byte[] bytes = in.readAllBytes();
          java.nio.ByteBuffer head = java.nio.ByteBuffer.wrap(t.readNBytes(20)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
          java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
          crc.update(bytes);
          assertThat(head.getInt(0)).as(tables.getName()).isEqualTo(0x4B424254);
          assertThat(head.getInt(12)).as(tables.getName() + " names the length of " + name).isEqualTo(bytes.length);
          assertThat(head.getInt(16)).as(tables.getName() + " names the CRC of " + name).isEqualTo((int) crc.getValue());
        }
      }
    }
  }

  @Test
  void theGatewayRunsThroughTheLauncherAndReloadsItsKeysOnSighup() throws Exception {
    String answer = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi!\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":5,\"total_tokens\":25}}";
    List<String> seenKeys = new CopyOnWriteArrayList<>();
    HttpServer upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/chat/completions", x -> {
      seenKeys.add(x.getRequestHeaders().getFirst("Authorization"));
      x.getRequestBody().readAllBytes();
      byte[] b = answer.getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, b.length);
      x.getResponseBody().write(b);
      x.close();
    });
    upstream.start();
    Path keys = dir.resolve("keys.json");
    Files.writeString(keys, "{\"keys\":[{\"key\":\"sk-team-a\",\"scope\":\"team:a\",\"limit\":\"1\",\"currency\":\"USD\","
        + "\"period\":\"month\"}]}");
    ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "gateway", "--listen", "127.0.0.1:0", "--upstream",
        "http://127.0.0.1:" + upstream.getAddress().getPort() + "/v1", "--keys", keys.toString());
    pb.environment().put("OPENAI_API_KEY", "sk-real");
    Process gw = pb.start();
    BlockingQueue<String> out = lines(gw.getInputStream());
    BlockingQueue<String> err = lines(gw.getErrorStream());
    try {
      String started = out.poll(60, TimeUnit.SECONDS);
      assertThat(started).as("stderr: %s", err).isNotNull();
      Matcher m = Pattern.compile("listening on (http://\\S+/v1),").matcher(started);
      assertThat(m.find()).as(started).isTrue();
      URI base = URI.create(m.group(1));

      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
          .header("Authorization", "Bearer sk-team-a").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o\",\"max_tokens\":50,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      // the catalog's gpt-4o: 20 x 2.5 + 5 x 10 USD per 1M tokens
      assertThat(r.headers().firstValue("x-kopeck-cost")).contains("0.0001");
      assertThat(r.headers().firstValue("x-kopeck-remaining")).contains("0.9999");
      assertThat(seenKeys).containsExactly("Bearer sk-real");

      Files.writeString(keys, "{\"keys\":[{\"key\":\"sk-team-a\",\"scope\":\"team:a\",\"limit\":\"half\"}]}");
      new ProcessBuilder("kill", "-HUP", String.valueOf(gw.pid())).start().waitFor();
      String said = poll(err, "(SIGHUP)");
      assertThat(said).startsWith("kopeck gateway: " + keys + ": $.keys[0]").endsWith("(the keys in force stay) (SIGHUP)");
      HttpResponse<String> still = client.send(HttpRequest.newBuilder(URI.create(base + "/models"))
          .header("Authorization", "Bearer sk-team-a").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(still.statusCode()).isNotEqualTo(401);
    } finally {
      gw.destroy(); // SIGTERM: the shutdown hook closes the gateway
      assertThat(gw.waitFor(30, TimeUnit.SECONDS)).isTrue();
      upstream.stop(0);
    }
    assertThat(err).noneMatch(l -> l.contains("Exception") || l.contains("\tat "));
  }

  private static String poll(BlockingQueue<String> q, String part) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      String l = q.poll(1, TimeUnit.SECONDS);
      if (l != null && l.contains(part)) {
        return l;
      }
    }
    throw new AssertionError("no line with " + part + " in 30 s");
  }

  private static BlockingQueue<String> lines(java.io.InputStream in) {
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          q.add(l);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "launcher-it-reader");
    t.setDaemon(true);
    t.start();
    return q;
  }
}
