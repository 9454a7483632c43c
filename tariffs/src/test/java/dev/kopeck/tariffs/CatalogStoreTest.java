package dev.kopeck.tariffs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.kopeck.pricing.catalog.Catalog;
import dev.kopeck.pricing.catalog.CatalogException;
import dev.kopeck.pricing.catalog.CatalogStore;
import dev.kopeck.pricing.catalog.UnitUsage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kopeck catalog update}'s library: genai-prices' published data file (a JSON array of
 * providers, constraints without their type, as prices/new_data/v2/data.json has them), made here
 * from the bundled data, taken from a file and from a real HTTP server on loopback; refused, with
 * the data in force kept, when damaged, invalid, older, or out of reach.
 */
class CatalogStoreTest {
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  static String published;

  @TempDir Path dir;
  HttpServer server;

  @BeforeAll
  static void publishedData() throws IOException {
    JsonNode bundled = CatalogSamplesTest.M.readTree(new BundledTariffs().catalogs().get("genai-prices.json"));
    ArrayNode providers = (ArrayNode) bundled.get("providers");
    for (JsonNode p : providers) {
      for (JsonNode m : p.get("models")) {
        if (m.get("prices").isArray()) {
          for (JsonNode c : m.get("prices")) {
            if (c.has("constraint")) {
              ((ObjectNode) c.get("constraint")).remove("type"); // as the published file writes them
            }
          }
        }
        ((ObjectNode) m).put("description", "kept out of the store");
      }
    }
    published = CatalogSamplesTest.M.writeValueAsString(providers);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  CatalogStore store() {
    return CatalogStore.at(dir.resolve("catalog"), Catalog::bundled, Clock.fixed(NOW, ZoneOffset.UTC),
        Duration.ofSeconds(5));
  }

  Path file(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  static final UnitUsage USAGE = UnitUsage.of("input_tokens", 1_000_000, "output_tokens", 1_000_000);
  static final Instant AT = Instant.parse("2026-08-21T00:00:00Z");

  @Test
  void withNothingKeptTheBundledSnapshotIsInForce() {
    assertThat(store().inForce()).isSameAs(Catalog.bundled());
    assertThat(store().inForceInfo().bundled()).isTrue();
    assertThat(store().inForceInfo().source()).isEqualTo("@pydantic/genai-prices@0.1.8");
  }

  @Test
  void aPublishedFileIsCheckedKeptAndInForce() throws IOException {
    Path f = file("data.json", published);
    CatalogStore.Info info = store().update(f.toString());
    assertThat(info.source()).isEqualTo(f.toString());
    assertThat(info.taken()).isEqualTo(NOW);
    assertThat(info.models()).isEqualTo(1694);
    assertThat(info.file()).isEqualTo(dir.resolve("catalog/genai-prices.json"));
    assertThat(Files.readString(info.file())).doesNotContain("kept out of the store");
    Catalog c = store().inForce();
    assertThat(c).isNotSameAs(Catalog.bundled());
    assertThat(c.source()).isEqualTo(f.toString());
    assertThat(store().inForceInfo()).isEqualTo(info);
    // the same prices, dated ones included
    for (String model : new String[] {"gpt-4o", "claude-sonnet-4-5", "deepseek-chat", "mistral-medium-latest"}) {
      assertThat(c.price(USAGE, model, null, AT).total())
          .isEqualByComparingTo(Catalog.bundled().price(USAGE, model, null, AT).total());
    }
  }

  @Test
  void readingAFileForOneCommandKeepsNothing() throws IOException {
    Path f = file("data.json", published);
    Catalog c = store().read(f.toString());
    assertThat(c.source()).isEqualTo(f.toString());
    assertThat(c.price(USAGE, "gpt-4o", null, AT).total()).isEqualByComparingTo(
        Catalog.bundled().price(USAGE, "gpt-4o", null, AT).total());
    assertThat(store().inForceInfo().bundled()).isTrue();
    assertThat(dir.resolve("catalog")).doesNotExist();
  }

  @Test
  void fromALocalHttpServer() throws IOException {
    String url = serve(200, published);
    CatalogStore.Info info = store().update(url);
    assertThat(info.source()).isEqualTo(url);
    assertThat(store().inForce().source()).isEqualTo(url);
  }

  @Test
  void anUnreachableServerIsRefusedAndThePreviousKept() throws IOException {
    store().update(file("data.json", published).toString());
    CatalogStore.Info before = store().inForceInfo();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    String url = "http://127.0.0.1:" + port + "/data.json";
    assertThatThrownBy(() -> store().update(url)).isInstanceOf(CatalogException.class)
        .hasMessageStartingWith(url + ": cannot reach the server").hasMessageEndingWith("kept the catalog in force");
    assertThat(store().inForceInfo()).isEqualTo(before);
  }

  @Test
  void anHttpErrorIsRefused() throws IOException {
    String url = serve(404, "Not Found");
    assertThatThrownBy(() -> store().update(url)).isInstanceOf(CatalogException.class)
        .hasMessage(url + ": the server answered HTTP 404; kept the catalog in force");
    assertThat(store().inForceInfo().bundled()).isTrue();
  }

  @Test
  void aDamagedFileIsRefusedAndThePreviousKept() throws IOException {
    store().update(file("good.json", published).toString());
    CatalogStore.Info before = store().inForceInfo();
    Path cut = file("cut.json", published.substring(0, published.length() / 2));
    assertThatThrownBy(() -> store().update(cut.toString())).isInstanceOf(CatalogException.class)
        .hasMessageStartingWith(cut + ": line 1, column ").hasMessageContaining("malformed JSON");
    assertThat(store().inForceInfo()).isEqualTo(before);
  }

  @Test
  void aPriceThatDoesNotParseIsRefusedWhereItIs() throws IOException {
    String bad = published.replaceFirst("\"input_mtok\":\"3\"", "\"input_mtok\":\"three\"");
    assertThat(bad).isNotEqualTo(published);
    Path f = file("bad.json", bad);
    assertThatThrownBy(() -> store().update(f.toString())).isInstanceOf(CatalogException.class)
        .hasMessageMatching(java.util.regex.Pattern.quote(f.toString())
            + ": \\$\\.providers\\[\\d+\\]\\.models\\[\\d+\\]\\.prices\\.input_mtok: not a decimal number: \"three\"");
    assertThat(store().inForceInfo().bundled()).isTrue();
  }

  @Test
  void anUnknownPriceKeyIsRefused() throws IOException {
    Path f = file("bad.json", published.replaceFirst("\"input_mtok\"", "\"input_kbytes\""));
    assertThatThrownBy(() -> store().update(f.toString())).isInstanceOf(CatalogException.class)
        .hasMessageContaining(".input_kbytes: unknown price key");
  }

  @Test
  void aFallbackToAProviderTheDataLacksIsRefused() throws IOException {
    JsonNode data = CatalogSamplesTest.M.readTree(published);
    ((ObjectNode) data.get(0)).putArray("fallback_model_providers").add("nowhere");
    Path f = file("bad.json", CatalogSamplesTest.M.writeValueAsString(data));
    assertThatThrownBy(() -> store().update(f.toString())).isInstanceOf(CatalogException.class)
        .hasMessage(f + ": $.providers[0].fallback_model_providers: no provider \"nowhere\" in the data");
  }

  @Test
  void aMatchRuleThatIsNoRegularExpressionIsRefused() throws IOException {
    JsonNode data = CatalogSamplesTest.M.readTree(published);
    ((ObjectNode) data.get(0).get("models").get(0)).set("match", CatalogSamplesTest.M.readTree("{\"regex\":\"gpt-(\"}"));
    Path f = file("bad.json", CatalogSamplesTest.M.writeValueAsString(data));
    assertThatThrownBy(() -> store().update(f.toString())).isInstanceOf(CatalogException.class)
        .hasMessageStartingWith(f + ": $.providers[0].models[0].match.regex: ");
  }

  @Test
  void anOlderFileIsRefusedAndTheOneInForceKept() throws IOException {
    store().update(file("good.json", published).toString());
    CatalogStore.Info before = store().inForceInfo();
    // the same data without the prices of its newest date: what the project published before
    JsonNode data = CatalogSamplesTest.M.readTree(published);
    String newest = before.pricesAsOf().toString();
    for (JsonNode p : data) {
      for (JsonNode m : p.get("models")) {
        if (m.get("prices").isArray()) {
          for (Iterator<JsonNode> it = m.get("prices").iterator(); it.hasNext(); ) {
            if (newest.equals(it.next().path("constraint").path("start_date").asText())) {
              it.remove();
            }
          }
        }
      }
    }
    Path f = file("older.json", CatalogSamplesTest.M.writeValueAsString(data));
    assertThatThrownBy(() -> store().update(f.toString())).isInstanceOf(CatalogException.class)
        .hasMessageContaining("older than the catalog in force (" + before.source() + "): its newest price applies from ")
        .hasMessageContaining("theirs from " + newest);
    assertThat(store().inForceInfo()).isEqualTo(before);
  }

  @Test
  void aKeptFileDamagedSinceFallsBackToThePreviousOne() throws IOException {
    Path first = file("first.json", published);
    store().update(first.toString());
    Path second = file("second.json", published);
    store().update(second.toString());
    assertThat(store().inForceInfo().source()).isEqualTo(second.toString());
    Path kept = dir.resolve("catalog/genai-prices.json");
    Files.writeString(kept, Files.readString(kept).replaceFirst("\"3\"", "\"4\""));
    assertThat(store().inForceInfo().source()).isEqualTo(first.toString());
  }

  @Test
  void aMissingFileIsRefused() {
    Path f = dir.resolve("none.json");
    assertThatThrownBy(() -> store().update(f.toString())).isInstanceOf(CatalogException.class)
        .hasMessage(f + ": no such file");
  }

  /** A real HTTP server on loopback answering every request with {@code status} and {@code body}. */
  String serve(int status, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/prices/new_data/v2/data.json";
  }
}
