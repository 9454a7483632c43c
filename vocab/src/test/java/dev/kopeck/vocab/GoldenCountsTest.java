package dev.kopeck.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the golden corpus counts exactly what the reference tokenizers count
 * (golden/counts.tsv, made by vocab/src/test/golden/update-golden.sh from ../shared/oracle).
 */
class GoldenCountsTest {
  static final List<String> ENCODINGS = List.of("gemma3", "gemma", "o200k_base", "cl100k_base", "p50k_base",
      "r50k_base", "o200k_harmony", "llama3", "qwen3", "deepseek_v3");

  static String resource(String path) throws IOException {
    try (InputStream in = GoldenCountsTest.class.getResourceAsStream("/golden/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource golden/" + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    List<String> lines = resource("counts.tsv").lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      for (int e = 0; e < ENCODINGS.size(); e++) {
        out.add(Arguments.of(ENCODINGS.get(e), f[0], Integer.parseInt(f[e + 1])));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} = {2}")
  @MethodSource("cases")
  void countsMatchTheReference(String encoding, String file, int expected) throws IOException {
    String text = resource("corpus/" + file);
    TokenCounter t = Tokenizers.require(encoding);
    assertThat(t.count(text)).isEqualTo(expected);
    assertThat(t.encode(text)).hasSize(expected);
    // decoding gives the text back, except that a literal ▁ in it reads as a space (as HuggingFace decodes)
    // and Qwen's normalizer makes it NFC
    String expectedText = encoding.startsWith("gemma") ? text.replace('\u2581', ' ')
        : encoding.equals("qwen3") ? java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC) : text;
    assertThat(t.decode(t.encode(text))).isEqualTo(expectedText);
    // a count from a CharSequence that is not a String
    assertThat(t.count(new StringBuilder(text))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void countUpToAndTruncateAgreeWithCount(String encoding, String file, int expected) throws IOException {
    String text = resource("corpus/" + file);
    TokenCounter t = Tokenizers.require(encoding);
    assertThat(t.countUpTo(text, expected)).isEqualTo(expected);
    if (expected > 0) {
      assertThat(t.countUpTo(text, expected - 1)).isEqualTo(expected);
      assertThat(t.countUpTo(text, 0)).isEqualTo(1);
      int half = expected / 2;
      CharSequence head = t.truncate(text, half);
      assertThat(text).startsWith(head);
      assertThat(t.count(head)).isLessThanOrEqualTo(half);
      if (encoding.startsWith("gemma")) {
        // a prefix cut at a token boundary tokenizes into exactly those tokens
        int[] all = t.encode(text);
        int[] prefix = t.encode(head);
        assertThat(prefix).isEqualTo(java.util.Arrays.copyOf(all, prefix.length));
        assertThat(prefix.length).isGreaterThanOrEqualTo(half - 4);
      }
    }
    assertThat(t.truncate(text, expected).toString()).isEqualTo(text);
  }
}
