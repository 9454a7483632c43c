package dev.kopeck.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.base.InputException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A user's SentencePiece .model: a small BPE model trained by spm_train, counted line by line as
 * spm_encode counts (tokens/src/test/spm/update-spm-golden.sh).
 */
class SentencePieceTest {
  static Path model() throws URISyntaxException {
    return Path.of(SentencePieceTest.class.getResource("/spm/tiny-bpe.model").toURI());
  }

  static Path corpus() {
    // the golden corpus lives in the vocab module's test resources
    return Path.of("..", "vocab", "src", "test", "resources", "golden", "corpus");
  }

  static Stream<Arguments> cases() throws IOException, URISyntaxException {
    List<String> lines = Files.readAllLines(Path.of(SentencePieceTest.class.getResource("/spm/spm-counts.tsv").toURI()));
    return lines.subList(1, lines.size()).stream().map(l -> l.split("\t"))
        .map(f -> Arguments.of(f[0], Integer.parseInt(f[1])));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("cases")
  void countsLikeSpmEncode(String file, int expected) throws Exception {
    TokenCounter t = Tokenizers.fromSentencePiece("tiny", model());
    String text = Files.readString(corpus().resolve(file), StandardCharsets.UTF_8);
    int sum = 0;
    for (String line : text.split("\n", -1)) {
      sum += t.count(line);
    }
    assertThat(sum).isEqualTo(expected);
  }

  @Test
  void refusesWhatItCannotCountExactly(@TempDir Path dir) throws Exception {
    Path truncated = dir.resolve("cut.model");
    byte[] b = Files.readAllBytes(model());
    Files.write(truncated, java.util.Arrays.copyOf(b, b.length / 2));
    assertThatThrownBy(() -> Tokenizers.fromSentencePiece("x", truncated))
        .isInstanceOf(InputException.class)
        .hasMessageContaining("cut.model: byte ")
        .hasMessageContaining("truncated SentencePiece model");
    assertThatThrownBy(() -> Tokenizers.fromFile(dir.resolve("none.model")))
        .isInstanceOf(InputException.class).hasMessageEndingWith("none.model: no such file");
  }
}
