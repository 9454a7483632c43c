package dev.kopeck.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.base.InputException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A vocabulary's lookup tables written ready to use ({@code .kbbt}) read back as the tables it builds;
 * tables of another file are ignored and the tables built; damaged or truncated ones are an error
 * that names the byte. (The bundled vocabularies' own: vocab's ReadyTablesIdsTest.)
 */
class ReadyTablesTest {
  static byte[] file(ByteVocabulary v) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    v.write(out);
    return out.toByteArray();
  }

  static byte[] tables(byte[] file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteVocabulary.writeTables("x.kbbl", file, out);
    return out.toByteArray();
  }

  static ByteVocabulary read(byte[] file, byte[] tables) throws IOException {
    return ByteVocabulary.read("x.kbbl", new ByteArrayInputStream(file), "x.kbbt",
        tables == null ? null : new ByteArrayInputStream(tables));
  }

  /**
   * ASCII's printable bytes, then pairs and triples of letters: 295 tokens, so that merges of ids past 127
   * fill the merge table's slots, not only its dense corner for ASCII's bytes.
   */
  static ByteVocabulary vocabulary() throws IOException {
    java.util.List<String> tokens = new java.util.ArrayList<>();
    for (char c = ' '; c <= '~'; c++) {
      tokens.add(String.valueOf(c));
    }
    for (int i = 0; i < 150; i++) {
      tokens.add("" + (char) ('a' + i % 26) + (char) ('a' + i / 26));
    }
    for (int i = 0; i < 50; i++) {
      tokens.add(tokens.get(95 + i) + (char) ('a' + i % 7));
    }
    return VocabularyOverTest.tiktoken("\"<|end|>\": 295", tokens.toArray(new String[0]));
  }

  @Test
  void aVocabularyReadWithItsTablesKeepsNoMergeListButCountsIt() throws IOException {
    byte[] file = file(vocabulary());
    ByteVocabulary built = read(file, null);
    ByteVocabulary ready = read(file, tables(file));
    assertThat(ready.mergeLeft).isNull();
    assertThat(ready.summary()).isEqualTo(built.summary());
    assertThatThrownBy(() -> ready.write(new ByteArrayOutputStream())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("read it without");
    assertThat(built.mergeLeft).isNotNull();
  }

  @Test
  void tablesReadReadyAreTheTablesBuilt() throws IOException {
    byte[] file = file(vocabulary());
    byte[] tables = tables(file);
    ByteVocabulary built = read(file, null);
    ByteVocabulary ready = read(file, tables);
    assertThat(built.readyTables()).isFalse();
    assertThat(ready.readyTables()).isTrue();
    assertThat(ready.merges.slots()).containsExactly(built.merges.slots());
    assertThat(ready.merges.filter()).containsExactly(built.merges.filter());
    assertThat(Arrays.stream(built.merges.slots()).filter(e -> e != -1 && (e >>> 42) >= 128).count()).isPositive();
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    ready.writeTables(file, again);
    assertThat(again.toByteArray()).isEqualTo(tables);
    String text = "aa ba abc cbd<|end|> zz fe dcc, " + "qbaf".repeat(40);
    int[] ids = Counters.byteBpe("built", built).encode(text);
    assertThat(Arrays.stream(ids).filter(id -> id >= 145).count()).as("merges past id 127 used").isPositive();
    assertThat(Counters.byteBpe("ready", ready).encode(text)).containsExactly(ids);
  }

  @Test
  void tablesOfAnotherFileAreIgnoredAndTheTablesBuilt() throws IOException {
    byte[] file = file(vocabulary());
    byte[] other = file(VocabularyOverTest.tiktoken("\"<|end|>\": 5", VocabularyOverTest.TOKENS));
    ByteVocabulary v = read(file, tables(other));
    assertThat(v.readyTables()).isFalse();
    assertThat(Counters.byteBpe("v", v).count("aab bac")).isEqualTo(Counters.byteBpe("b", read(file, null)).count("aab bac"));
  }

  @Test
  void damagedTablesAreAnErrorThatNamesTheByte() throws IOException {
    byte[] file = file(vocabulary());
    byte[] tables = tables(file);
    assertThatThrownBy(() -> read(file, Arrays.copyOf(tables, 1000)))
        .isInstanceOf(InputException.class).hasMessageContaining("x.kbbt").hasMessageContaining("byte 1000")
        .hasMessageContaining("truncated tables");
    byte[] flipped = tables.clone();
    flipped[5000] ^= 1;
    assertThatThrownBy(() -> read(file, flipped))
        .isInstanceOf(InputException.class).hasMessageContaining("byte " + (tables.length - 4))
        .hasMessageContaining("CRC-32C");
    byte[] longer = Arrays.copyOf(tables, tables.length + 3);
    assertThatThrownBy(() -> read(file, longer))
        .isInstanceOf(InputException.class).hasMessageContaining("byte " + tables.length)
        .hasMessageContaining("more bytes than its tables");
    byte[] notTables = Arrays.copyOf(file, 100);
    assertThatThrownBy(() -> read(file, notTables))
        .isInstanceOf(InputException.class).hasMessageContaining("byte 0")
        .hasMessageContaining("not a Kopeck vocabulary's tables");
  }
}
