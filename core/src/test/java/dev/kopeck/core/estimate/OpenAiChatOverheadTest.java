package dev.kopeck.core.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OpenAI's chat overhead as OpenAI counts it: the cookbook's 3 a message, the role's tokens, a name's
 * tokens and 1, 3 to prime the answer; function declarations as TypeScript definitions. The expected
 * counts are tiktoken's (o200k_base, cl100k_base) and openai-chat-tokens' (src/test/resources/openai-chat-tokens).
 */
class OpenAiChatOverheadTest {
  static final Estimator EST = Estimator.standard();

  @Test
  void theCookbookCountWithRolesAndNames() {
    // system: 3 + "system" 1 + "You are helpful." 4; user: 3 + "user" 1 + "Hello there" 2 + "alice" 1 + 1; 3 to prime
    Estimate e = EST.estimate(ChatRequestParser.parse("r", "{\"model\":\"gpt-4o\",\"max_tokens\":100,\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are helpful.\"},"
        + "{\"role\":\"user\",\"name\":\"alice\",\"content\":\"Hello there\"}]}"));
    assertThat(e.input().total()).isEqualTo(19);
    assertThat(e.toolTokens()).isZero();
    assertThat(e.overheadTokens()).isEqualTo(3 + 1 + 3 + 1 + 1 + 1 + 3);
    assertThat(e.provider()).isEqualTo("openai");
  }

  @ParameterizedTest
  @CsvSource({"tools-system-name.json, 109", "functions-enum-anyof.json, 69"})
  void functionDeclarationsAsOpenAiRendersThem(String file, long expected) throws Exception {
    String body = Files.readString(Path.of("src/test/resources/openai-chat-tokens", file));
    Estimate e = EST.estimate(ChatRequestParser.parse(file, body));
    assertThat(e.input().total()).isEqualTo(expected);
    assertThat(e.toolChoiceTokens()).isZero();
  }

  /** The reference's counts with and without the choice (61, 46, 57): a named function adds its name and 4, none 1. */
  @ParameterizedTest
  @CsvSource({"tool-choice-named.json, 68, 7", "tool-choice-none.json, 47, 1", "function-call-named.json, 63, 6"})
  void aToolChoiceAsOpenAiChatTokensCountsIt(String file, long expected, long choice) throws Exception {
    String body = Files.readString(Path.of("src/test/resources/openai-chat-tokens", file));
    Estimate e = EST.estimate(ChatRequestParser.parse(file, body));
    assertThat(e.input().total()).isEqualTo(expected);
    assertThat(e.toolChoiceTokens()).isEqualTo(choice);
    assertThat(e.toolTokens()).isGreaterThan(choice); // the choice is part of the tools' tokens
    assertThat(e.warnings()).anyMatch(w -> w.startsWith("$.tool_choice: ") && w.contains(" adds " + choice + " token"));
  }

  @Test
  void aChoiceTheReferenceHasNoRuleForIsNotCountedAndSaysSo() {
    Estimate e = EST.estimate(ChatRequestParser.parse("r", "{\"model\":\"gpt-4o\",\"max_tokens\":10,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
        + "\"tool_choice\":\"required\"}"));
    assertThat(e.toolChoiceTokens()).isZero();
    assertThat(e.warnings()).contains("$.tool_choice: required is not counted (the openai-chat-tokens package has no"
        + " rule for it)");
  }

  @Test
  void openAisOverheadIsExactAndOthersAreLabelledEstimates() {
    String body = "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";
    Estimate gpt = EST.estimate(ChatRequestParser.parse("r", body), "gpt-4o");
    assertThat(gpt.overheadCount()).isEqualTo("exact");
    assertThat(gpt.overheadRule()).startsWith("OpenAI's cookbook");
    assertThat(gpt.warnings()).noneMatch(w -> w.startsWith("the chat format's overhead"));

    // Claude: counted with o200k_base, and OpenAI's format standing in for Anthropic's, which is not published
    Estimate claude = EST.estimate(ChatRequestParser.parse("r", body), "claude-sonnet-4-5");
    assertThat(claude.overheadTokens()).isEqualTo(3 + 1 + 3);
    assertThat(claude.overheadCount()).isEqualTo("estimate");
    assertThat(claude.warnings()).contains("the chat format's overhead, 7 tokens, is an estimate: " + claude.overheadRule());
    assertThat(claude.overheadRule()).contains("o200k_base stands in for claude-sonnet-4-5's tokenizer");

    // Gemini: its own tokenizer, the overhead taken as none
    Estimate gemini = EST.estimate(ChatRequestParser.parse("r", body), "gemini-2.5-flash");
    assertThat(gemini.tokenizer().exact()).isTrue();
    assertThat(gemini.overheadTokens()).isZero();
    assertThat(gemini.overheadCount()).isEqualTo("estimate");
    assertThat(gemini.warnings()).contains("the chat format's overhead, 0 tokens, is an estimate: taken as none, the"
        + " parts' content alone (as Gemini counts it); how gemini-2.5-flash renders a conversation is not published");
  }
}
