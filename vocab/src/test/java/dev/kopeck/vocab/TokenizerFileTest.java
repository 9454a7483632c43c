package dev.kopeck.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vocabularies' own tokenizer.json files, the ones the build compiles (target/tokenizer-json,
 * fetched from the pinned packages), load through {@code Tokenizers.fromFile} as a user's file
 * would, and count the golden corpus exactly as the references do.
 */
class TokenizerFileTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"llama3.json, llama3", "qwen3.json, qwen3", "deepseek_v3.json, deepseek_v3",
      "gptoss.json, o200k_harmony", "gemma3.json, gemma3"})
  void aTokenizerJsonCountsAsTheBundledVocabulary(String file, String encoding) throws IOException {
    TokenCounter t = Tokenizers.fromFile(Path.of("target/tokenizer-json", file));
    List<String> lines = GoldenCountsTest.resource("counts.tsv").lines().toList();
    int column = GoldenCountsTest.ENCODINGS.indexOf(encoding) + 1;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      String text = GoldenCountsTest.resource("corpus/" + f[0]);
      assertThat(t.count(text)).as("%s %s", file, f[0]).isEqualTo(Integer.parseInt(f[column]));
    }
  }
}
