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
  }
}
