package dev.kopeck.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The token ids themselves, not only their number, equal the reference tokenizers' (golden/ids/ENC.tsv,
 * made by vocab/src/test/golden/ids.js from ../shared/oracle): every id of a short file, the first and
 * last 64 and a SHA-256 of all of them for a long one, and the ids of the text truncated at 10 tokens.
 * A different split of the same length fails here.
 */
class GoldenIdsTest {
  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (String enc : GoldenCountsTest.ENCODINGS) {
      List<String> lines = GoldenCountsTest.resource("ids/" + enc + ".tsv").lines().toList();
      assertThat(lines.get(0)).isEqualTo("file\tcount\tids\tlast_ids\tsha256\ttruncated_10");
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split("\t", -1);
        out.add(Arguments.of(enc, f[0], Integer.parseInt(f[1]), ids(f[2]), f[3].equals("-") ? null : ids(f[3]), f[4],
            ids(f[5])));
      }
    }
    return out.stream();
  }

  static int[] ids(String s) {
    return s.isEmpty() || s.equals("-") ? new int[0] : Arrays.stream(s.split(" ")).mapToInt(Integer::parseInt).toArray();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void idsMatchTheReference(String encoding, String file, int count, int[] head, int[] tail, String sha256,
      int[] truncated) throws Exception {
    String text = GoldenCountsTest.resource("corpus/" + file);
    TokenCounter t = Tokenizers.require(encoding);
    int[] got = t.encode(text);
    assertThat(got).hasSize(count);
    if (tail == null) {
      assertThat(got).containsExactly(head);
    } else {
      assertThat(Arrays.copyOf(got, head.length)).containsExactly(head);
      assertThat(Arrays.copyOfRange(got, got.length - tail.length, got.length)).containsExactly(tail);
    }
    assertThat(sha256(got)).isEqualTo(sha256);
    if (encoding.equals("qwen3") && !java.text.Normalizer.isNormalized(text, java.text.Normalizer.Form.NFC)) {
      // the reference cuts the caller's text at the byte length of the normalized tokens, which is
      // no place in particular once NFC changed the lengths; Kopeck maps the cut back through NFC
      CharSequence cut = t.truncate(text, 10);
      assertThat(text).startsWith(cut);
      assertThat(t.count(cut)).isLessThanOrEqualTo(10);
      assertThat(t.count(cut)).isGreaterThanOrEqualTo(Math.min(count, 10) - 3);
      return;
    }
    assertThat(t.encode(t.truncate(text, 10))).as("the ids of the text truncated at 10 tokens").containsExactly(truncated);
  }

  static String sha256(int[] ids) throws NoSuchAlgorithmException {
    String joined = Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8)));
  }
}
