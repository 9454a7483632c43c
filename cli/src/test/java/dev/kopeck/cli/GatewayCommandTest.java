package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kopeck gateway refuses what it cannot run with, in one line and exit 2, before it listens. */
class GatewayCommandTest {
  @TempDir Path dir;

  @Test
  void aBadKeysFileIsOneLineWithItsJsonPath() throws Exception {
    Path keys = dir.resolve("keys.json");
    Files.writeString(keys, "{\"keys\":[{\"key\":\"sk-a\",\"scope\":\"team:a\",\"limit\":\"half\",\"currency\":\"RUB\","
        + "\"period\":\"month\"}]}");
    // the key variable named here is PATH, which is always set
    CliTest.Result r = CliTest.run("gateway", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9/v1",
        "--keys", keys.toString(), "--upstream-key-env", "PATH");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("kopeck gateway: " + keys + ": $.keys[0].limit: not a decimal number: \"half\""
        + System.lineSeparator());
  }

  @Test
  void aMissingUpstreamKeyOrABadAddressIsOneLine() {
    CliTest.Result r = CliTest.run("gateway", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9/v1",
        "--keys", "keys.json", "--upstream-key-env", "KOPECK_TEST_NO_SUCH_VARIABLE");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("$KOPECK_TEST_NO_SUCH_VARIABLE: not set");
    r = CliTest.run("gateway", "--listen", "localhost", "--upstream", "http://127.0.0.1:9/v1", "--keys", "k.json");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--listen: expected HOST:PORT");
  }
}
