package dev.kopeck.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.base.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A byte-level tokenizer.json of the user's: what Kopeck counts exactly it loads, the rest it
 * refuses naming the feature and its JSON path. (The bundled vocabularies' own tokenizer.json files
 * load and count the golden corpus exactly: kopeck-vocab's TokenizerFileTest.)
 */
class ByteLevelJsonTest {
  @TempDir
  Path dir;

  /** A tiny byte-level tokenizer: the 256 bytes, "he", "ll", "hell", "hello", one added token. */
  static String json(String preTokenizer, String extra) {
    StringBuilder vocab = new StringBuilder();
    int[] table = new int[256];
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      table[b] = printable ? b : 256 + n++;
    }
    for (int b = 0; b < 256; b++) {
      String piece = new String(Character.toChars(table[b]));
      String esc = piece.equals("\"") ? "\\\"" : piece.equals("\\") ? "\\\\" : piece;
      vocab.append('"').append(esc).append("\": ").append(b).append(", ");
    }
    vocab.append("\"he\": 256, \"ll\": 257, \"hell\": 258, \"hello\": 259");
    return "{\"added_tokens\": [{\"id\": 260, \"content\": \"<|x|>\", \"single_word\": false, \"lstrip\": false, "
        + "\"rstrip\": false, \"normalized\": false, \"special\": true}], \"normalizer\": null, "
        + "\"pre_tokenizer\": " + preTokenizer + ", \"decoder\": {\"type\": \"ByteLevel\"}, "
        + "\"model\": {\"type\": \"BPE\", \"dropout\": null, \"ignore_merges\": false" + extra + ", \"vocab\": {" + vocab
        + "}, \"merges\": [\"h e\", \"l l\", \"he ll\", \"hell o\"]}}";
  }

  static final String LLAMA = "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Split\", \"pattern\": "
      + "{\"Regex\": \"" + jsonEscape(dev.kopeck.tokens.internal.PreTokenizer.CL100K.regex) + "\"}, \"behavior\": "
      + "\"Isolated\", \"invert\": false}, {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": false}]}";

  static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
  }

  Path write(String json) throws Exception {
    Path f = dir.resolve("tokenizer.json");
    Files.writeString(f, json, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void loadsAndCounts() throws Exception {
    TokenCounter t = Tokenizers.fromFile(write(json(LLAMA, "")));
    // "hello" merges whole; " hello" is a piece of its own: the space, then the word's merges
    assertThat(t.encode("hello")).containsExactly(259);
    assertThat(t.encode("hello hello")).containsExactly(259, 32, 259);
    assertThat(t.encode("<|x|>hell")).containsExactly(260, 258);
    assertThat(t.decode(t.encode("héllo wörld"))).isEqualTo("héllo wörld");
  }

  @Test
  void anAddedTokenStripsWhiteSpace() throws Exception {
    TokenCounter t = Tokenizers.fromFile(write(json(LLAMA, "").replace("\"lstrip\": false", "\"lstrip\": true")
        .replace("\"rstrip\": false", "\"rstrip\": true")));
    assertThat(t.encode("hello  <|x|>  hell")).containsExactly(259, 260, 258);
  }

  @Test
  void gpt2sByteLevelRegexToo() throws Exception {
    TokenCounter t = Tokenizers.fromFile(write(json("{\"type\": \"ByteLevel\", \"add_prefix_space\": false, "
        + "\"use_regex\": true}", "")));
    assertThat(t.encode("hello's")).containsExactly(259, 39, 115);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown regex    | \\\\w+                       | $.pre_tokenizer: a split Kopeck does not have
      prefix space     | -                            | $.pre_tokenizer.pretokenizers[1].add_prefix_space: add_prefix_space is not supported
      dropout          | dropout                      | $.model.dropout: BPE dropout is random
      subword prefix   | prefix                       | $.model.continuing_subword_prefix: not supported
      NFKC             | nfkc                         | $.normalizer: only no normalizer or NFC is supported
      """)
  void refusesWhatItCannotCountExactly(String what, String change, String message) throws Exception {
    String json = json(LLAMA, "");
    switch (change) {
      case "-":
        json = json.replace("\"add_prefix_space\": false, \"use_regex\": false", "\"add_prefix_space\": true, \"use_regex\": false");
        break;
      case "dropout":
        json = json.replace("\"dropout\": null", "\"dropout\": 0.1");
        break;
      case "prefix":
        json = json(LLAMA, ", \"continuing_subword_prefix\": \"##\"");
        break;
      case "nfkc":
        json = json.replace("\"normalizer\": null", "\"normalizer\": {\"type\": \"NFKC\"}");
        break;
      default:
        json = json.replace(jsonEscape(dev.kopeck.tokens.internal.PreTokenizer.CL100K.regex), change);
    }
    Path f = write(json);
    assertThatThrownBy(() -> Tokenizers.fromFile(f))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(f + ": " + message);
  }

  @Test
  void malformedJsonSaysWhere() throws Exception {
    Path f = write(json(LLAMA, "").substring(0, 500));
    assertThatThrownBy(() -> Tokenizers.fromFile(f)).isInstanceOf(InputException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("line 1");
  }
}
