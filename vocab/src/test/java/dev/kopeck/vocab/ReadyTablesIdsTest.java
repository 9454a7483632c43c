package dev.kopeck.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import dev.kopeck.tokens.internal.ByteVocabulary;
import dev.kopeck.tokens.internal.Counters;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each bundled byte-level vocabulary read with its lookup tables ready to use (the {@code .kbbt} the
 * command line's jar carries, written here as build/VocabularyTables.java writes it) encodes the whole
 * golden corpus and random texts to exactly the ids of the same vocabulary with its tables built.
 */
class ReadyTablesIdsTest {
  @ParameterizedTest
  @ValueSource(strings = {"o200k_base", "cl100k_base", "p50k_base", "r50k_base", "llama3", "qwen3", "deepseek_v3"})
  void readyTablesGiveTheIdsOfBuiltOnes(String encoding) throws IOException {
    byte[] file;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/kopeck/vocab/" + encoding + ".kbbl")) {
      file = in.readAllBytes();
    }
    ByteArrayOutputStream tables = new ByteArrayOutputStream();
    ByteVocabulary.writeTables(encoding + ".kbbl", file, tables);
    ByteVocabulary v = ByteVocabulary.read(encoding + ".kbbl", new ByteArrayInputStream(file), encoding + ".kbbt",
        new ByteArrayInputStream(tables.toByteArray()));
    assertThat(v.readyTables()).isTrue();
    TokenCounter ready = Counters.byteBpe(encoding, v);
    TokenCounter built = Tokenizers.require(encoding);
    List<String> lines = GoldenCountsTest.resource("counts.tsv").lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      String name = line.split("\t")[0];
      String text = GoldenCountsTest.resource("corpus/" + name);
      assertThat(ready.encode(text)).as(name).containsExactly(built.encode(text));
    }
    Random r = new Random(33);
    for (int i = 0; i < 20; i++) {
      StringBuilder s = new StringBuilder();
      for (int j = 0; j < 2000; j++) {
        s.appendCodePoint(r.nextInt(4) == 0 ? r.nextInt(0x3000) : ' ' + r.nextInt(95));
      }
      String text = s.toString();
      assertThat(ready.encode(text)).as("random text %d", i).containsExactly(built.encode(text));
    }
  }
}
