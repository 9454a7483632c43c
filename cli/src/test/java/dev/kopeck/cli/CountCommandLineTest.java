package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.tokens.media.MediaRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** count's command line is built by hand (CountCommand.commandLine): each option reaches its field. */
class CountCommandLineTest {
  private static CountCommand parsed(String... args) {
    CommandLine cl = CountCommand.commandLine();
    cl.setCaseInsensitiveEnumValuesAllowed(true); // as Main sets it
    cl.parseArgs(args);
    CountCommand c = cl.getCommand();
    c.bind();
    return c;
  }

  @Test
  void everyOptionReachesItsField() {
    CountCommand c = parsed("--tariff", "a.json", "--tariff", "tables", "--default-model", "m1", "--catalog", "c.json",
        "--provider", "openai", "--json", "--media-rules", "anthropic", "--detail", "low", "--media-resolution", "high",
        "--tokenizer-file", "t.json", "one.txt", "-");
    assertThat(c.tariffs.tariffs).containsExactly(Path.of("a.json"), Path.of("tables"));
    assertThat(c.tariffs.defaultModel).isEqualTo("m1");
    assertThat(c.tariffs.catalogData).isEqualTo("c.json");
    assertThat(c.provider).isEqualTo("openai");
    assertThat(c.json).isTrue();
    assertThat(c.mediaRules).isEqualTo("anthropic");
    assertThat(c.detail).isEqualTo(MediaRules.Detail.LOW);
    assertThat(c.resolution).isEqualTo(MediaRules.Resolution.HIGH);
    assertThat(c.choice.tokenizerFile).isEqualTo(Path.of("t.json"));
    assertThat(c.choice.model).isNull();
    assertThat(c.files).containsExactly("one.txt", "-");
    assertThat(parsed("--model", "gpt-4o", "f").choice.model).isEqualTo("gpt-4o");
    assertThat(parsed("--tokenizer", "gemma3", "f").choice.tokenizer).isEqualTo("gemma3");
  }

  @Test
  void defaultsAreTheAnnotatedCommandsWere() {
    CountCommand c = parsed("f");
    assertThat(c.tariffs.tariffs).isEmpty();
    assertThat(c.json).isFalse();
    assertThat(c.detail).isEqualTo(MediaRules.Detail.AUTO);
    assertThat(c.resolution).isEqualTo(MediaRules.Resolution.UNSPECIFIED);
    assertThat(c.choice.model).isNull();
    assertThat(c.choice.tokenizer).isNull();
  }

  @Test
  void theModelAndATokenizerExcludeEachOtherAndAFileIsRequired() {
    assertThat(Main.run(new String[] {"count", "--model", "gpt-4o", "--tokenizer", "gemma3", "f"},
        new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(java.io.Writer.nullWriter())))
        .isEqualTo(Main.BAD_INPUT);
    java.io.StringWriter err = new java.io.StringWriter();
    assertThat(Main.run(new String[] {"count", "--tokenizer", "gemma3"},
        new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(err))).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString().strip()).isEqualTo("kopeck count: Missing required parameter: 'FILE' (see kopeck count --help)");
  }
}
