package dev.kopeck.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
  @TempDir
  Path dir;

  @Test
  void aKeyIsFoundEachTimeInClearOrByItsHashAndAStrangersNever() throws Exception {
    Path file = dir.resolve("keys.json");
    Files.writeString(file, "{\"keys\":[{\"key\":\"sk-a\",\"scope\":\"team:a\",\"limit\":\"1\",\"currency\":\"RUB\","
        + "\"period\":\"month\"},{\"key_sha256\":\"" + KeyRing.sha256("sk-b") + "\",\"scope\":\"team:b\","
        + "\"limit\":\"2\",\"currency\":\"RUB\",\"period\":\"day\"}]}");
    KeyRing ring = KeyRing.read(file);

    for (int i = 0; i < 3; i++) { // found again each time
      assertThat(ring.find("sk-a").scope().name()).isEqualTo("team:a");
      assertThat(ring.find("sk-b").scope().name()).isEqualTo("team:b");
      assertThat(ring.find("sk-c")).isNull();
      assertThat(ring.find("sk-a ")).isNull();
      assertThat(ring.find(null)).isNull();
    }
  }
}
