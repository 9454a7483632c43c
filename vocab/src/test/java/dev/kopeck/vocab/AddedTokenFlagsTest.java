package dev.kopeck.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Added tokens' {@code lstrip}, {@code rstrip} and {@code single_word}, as HuggingFace tokenizers
 * 0.23.2 applies them: Llama 3's tokenizer.json with {@code <|eot_id|>} stripping white space on its
 * left, {@code <|start_header_id|>} on its right, and {@code <|end_header_id|>} matching only as a word
 * of its own. The expected ids are the reference's (../shared/oracle's tokenizers on the same edited
 * file), pinned here.
 */
class AddedTokenFlagsTest {
  @TempDir
  static Path dir;
  static TokenCounter t;

  @BeforeAll
  static void load() throws Exception {
    String json = Files.readString(Path.of("target/tokenizer-json/llama3.json"), StandardCharsets.UTF_8);
    json = flag(json, "<|eot_id|>", "lstrip");
    json = flag(json, "<|start_header_id|>", "rstrip");
    json = flag(json, "<|end_header_id|>", "single_word");
    Path f = dir.resolve("llama3-flags.json");
    Files.writeString(f, json, StandardCharsets.UTF_8);
    t = Tokenizers.fromFile(f);
  }

  /** Sets one flag of the added token whose content is {@code content}, as the file writes it. */
  static String flag(String json, String content, String flag) {
    int at = json.indexOf("\"content\": \"" + content + "\"");
    int end = json.indexOf('}', at);
    String entry = json.substring(at, end).replace("\"" + flag + "\": false", "\"" + flag + "\": true");
    assertThat(entry).contains("\"" + flag + "\": true");
    return json.substring(0, at) + entry + json.substring(end);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      "Hello   <|eot_id|>  world"                           | 9906 128009 220 1917
      "x<|end_header_id|>y <|end_header_id|> z"             | 87 27 91 408 8932 851 91 29 88 220 128007 1167
      "_<|end_header_id|>"                                  | 42843 91 408 8932 851 91 29
      "é<|end_header_id|>"                                  | 978 27 91 408 8932 851 91 29
      "  <|eot_id|><|eot_id|>  "                            | 128009 128009 256
      "<|end_header_id|>"                                   | 128007
      "1<|end_header_id|>"                                  | 16 27 91 408 8932 851 91 29
      "½<|end_header_id|>"                                  | 27154 128007
      "x<|end_header_id|><|eot_id|>y"                       | 87 27 91 408 8932 851 91 29 128009 88
      """)
  void stripsAndSingleWordsAsTheReference(String text, String ids) {
    int[] want = Arrays.stream(ids.split(" ")).mapToInt(Integer::parseInt).toArray();
    assertThat(t.encode(text)).containsExactly(want);
    assertThat(t.count(text)).isEqualTo(want.length);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      newlines and tabs      | 128009 298 128006 78191
      Unicode white space    | 128009 4194 128006 89
      a header between words | 64 220 128006 882 27 91 408 8932 851 91 1363 13347
      """)
  void whiteSpaceOfEveryKind(String what, String ids) {
    String text = switch (what) {
      case "newlines and tabs" -> "\n\n<|eot_id|>\t\t<|start_header_id|>\t\tassistant";
      case "Unicode white space" -> "\u3000<|eot_id|>\u00a0<|start_header_id|>\u2028z";
      default -> "a <|start_header_id|>   user<|end_header_id|>\n\nHi";
    };
    int[] want = Arrays.stream(ids.split(" ")).mapToInt(Integer::parseInt).toArray();
    assertThat(t.encode(text)).containsExactly(want);
  }
}
