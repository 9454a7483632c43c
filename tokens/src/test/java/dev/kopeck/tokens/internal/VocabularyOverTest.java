package dev.kopeck.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.base.InputException;
import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * A vocabulary written as added tokens over another ({@code .kbbs}, as o200k_harmony over o200k_base)
 * reads back as the vocabulary it was made from; one that differs from its base in more than its added
 * tokens is refused when it is written; and a bundled tokenizer whose family's jar is missing says which
 * artifact to add (this module's tests have no vocabulary on the class path).
 */
class VocabularyOverTest {
  /** A tiktoken file: the tokens' bytes at ids 0.., and these special tokens. */
  static ByteVocabulary tiktoken(String specials, String... tokens) throws IOException {
    StringBuilder ranks = new StringBuilder("! 0");
    for (String t : tokens) {
      ranks.append(' ').append(Base64.getEncoder().encodeToString(t.getBytes(StandardCharsets.UTF_8)));
    }
    String json = "{\"pat_str\": \"" + PreTokenizer.GPT2.regex.replace("\\", "\\\\") + "\", \"special_tokens\": {"
        + specials + "}, \"bpe_ranks\": \"" + ranks + "\"}";
    return ByteVocabulary.fromTiktoken("test.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  static final String[] TOKENS = {"a", "b", " ", "ab", " ab"};

  @Test
  void aVocabularyOverItsBaseCountsAsTheWholeOne() throws IOException {
    ByteVocabulary base = tiktoken("\"<|endoftext|>\": 5", TOKENS);
    ByteVocabulary whole = tiktoken("\"<|start|>\": 5, \"<|end|>\": 7", TOKENS);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    whole.writeOver("base", base, file);
    assertThat(file.size()).isLessThan(60);
    ByteArrayOutputStream baseFile = new ByteArrayOutputStream();
    base.write(baseFile);
    ByteVocabulary read = ByteVocabulary.readOver("x.kbbs", new ByteArrayInputStream(file.toByteArray()),
        id -> id.equals("base") ? baseFile.toByteArray() : null);
    assertThat(read.size()).isEqualTo(8);
    String text = "ab ab<|start|>b<|end|>";
    TokenCounter expected = Counters.byteBpe("whole", whole);
    TokenCounter got = Counters.byteBpe("read", read);
    assertThat(expected.encode(text)).containsExactly(3, 4, 5, 1, 7);
    assertThat(got.encode(text)).containsExactly(3, 4, 5, 1, 7);
    assertThat(got.decode(got.encode(text))).isEqualTo(text);
  }

  @Test
  void aVocabularyThatIsNotItsBaseWithOtherAddedTokensIsRefused() throws IOException {
    ByteVocabulary base = tiktoken("\"<|endoftext|>\": 5", TOKENS);
    ByteVocabulary other = tiktoken("\"<|end|>\": 5", "a", "b", " ", "ba", " ab");
    assertThatThrownBy(() -> other.writeOver("base", base, new ByteArrayOutputStream()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not base with other added tokens: they differ in token 3");
  }

  @Test
  void aDamagedFileSaysWhere() {
    assertThatThrownBy(() -> ByteVocabulary.readOver("x.kbbs", new ByteArrayInputStream(new byte[] {'K', 'B'}),
        id -> null)).isInstanceOf(InputException.class).hasMessageContaining("x.kbbs").hasMessageContaining("byte");
  }

  @Test
  void aTokenizerWhoseFamilyIsMissingNamesTheArtifactToAdd() {
    assertThatThrownBy(() -> Tokenizers.require("o200k_harmony").count("hello"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("o200k_harmony needs dev.kopeck:kopeck-vocab-openai on the class path"
            + " (no META-INF/kopeck/vocab/o200k_harmony.* there)");
    assertThatThrownBy(() -> Tokenizers.require("gemma3").count("hello"))
        .hasMessageStartingWith("gemma3 needs dev.kopeck:kopeck-vocab-gemma on the class path");
    assertThatThrownBy(() -> Tokenizers.require("llama3").count("hello"))
        .hasMessageStartingWith("llama3 needs dev.kopeck:kopeck-vocab-llama on");
    assertThatThrownBy(() -> Tokenizers.require("qwen3").count("hello"))
        .hasMessageStartingWith("qwen3 needs dev.kopeck:kopeck-vocab-qwen on");
    assertThatThrownBy(() -> Tokenizers.require("deepseek_v3").count("hello"))
        .hasMessageStartingWith("deepseek_v3 needs dev.kopeck:kopeck-vocab-deepseek on");
  }
}
