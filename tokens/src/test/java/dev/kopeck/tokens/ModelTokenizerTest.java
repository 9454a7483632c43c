package dev.kopeck.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The model table: which tokenizer counts a model, exactly or within a bound. */
class ModelTokenizerTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      gpt-4o-mini                              | o200k_base    | exact
      openai/gpt-4.1-nano                      | o200k_base    | exact
      gpt-4o-2024-08-06                        | o200k_base    | exact
      chatgpt-4o-latest                        | o200k_base    | exact
      gpt-5-nano                               | o200k_base    | exact
      o1-mini                                  | o200k_base    | exact
      o3                                       | o200k_base    | exact
      o4-mini                                  | o200k_base    | exact
      gpt-4                                    | cl100k_base   | exact
      gpt-4-turbo                              | cl100k_base   | exact
      gpt-3.5-turbo-0125                       | cl100k_base   | exact
      text-embedding-3-small                   | cl100k_base   | exact
      text-davinci-003                         | p50k_base     | exact
      davinci                                  | r50k_base     | exact
      openai/gpt-oss-120b                      | o200k_harmony | exact
      gpt-oss-20b:free                         | o200k_harmony | exact
      meta-llama/llama-3.3-70b-instruct        | llama3        | exact
      llama3.1:8b                              | llama3        | exact
      deepseek/deepseek-r1-distill-llama-70b   | llama3        | exact
      qwen/qwen3-235b-a22b                     | qwen3         | exact
      qwen/qwen-2.5-72b-instruct               | qwen3         | exact
      qwq-32b                                  | qwen3         | exact
      deepseek/deepseek-r1-distill-qwen-32b    | qwen3         | exact
      deepseek/deepseek-chat-v3-0324           | deepseek_v3   | exact
      deepseek-reasoner                        | deepseek_v3   | exact
      deepseek-r1                              | deepseek_v3   | exact
      google/gemini-2.0-flash-001              | gemma3        | exact
      gemini-2.5-pro                           | gemma3        | exact
      gemini-3-pro-preview                     | gemma3        | exact
      google/gemma-3-27b-it                    | gemma3        | exact
      gemini-1.5-pro                           | gemma         | exact
      gemma-2-9b-it                            | gemma         | exact
      gemini-3.1-pro                           | gemma3        | estimate
      meta-llama/llama-4-scout                 | llama3        | estimate
      anthropic/claude-3.5-sonnet              | o200k_base    | estimate
      claude-sonnet-4-5                        | o200k_base    | estimate
      x-ai/grok-3-mini-beta                    | o200k_base    | estimate
      moonshotai/kimi-k2-0905:exacto           | o200k_base    | estimate
      z-ai/glm-4.5                             | o200k_base    | estimate
      some-model-nobody-knows                  | o200k_base    | estimate
      """)
  void resolves(String model, String tokenizer, String count) {
    ModelTokenizer t = Tokenizers.resolve(model);
    assertThat(t.tokenizer()).isEqualTo(tokenizer);
    assertThat(t.exact()).isEqualTo(count.equals("exact"));
    assertThat(t.model()).isEqualTo(model);
    assertThat(t.source()).isNotBlank();
    assertThat(Tokenizers.idForModel(model)).isEqualTo(t.exact() ? java.util.Optional.of(tokenizer)
        : java.util.Optional.empty());
  }

  @Test
  void anEstimateHasABoundAndAnUpperCount() {
    ModelTokenizer t = Tokenizers.resolve("claude-sonnet-4-5");
    assertThat(t.bound()).isEqualByComparingTo("0.35");
    assertThat(t.tokens(100)).isEqualTo(100);
    assertThat(t.upper(100)).isEqualTo(135);
    assertThat(t.upper(1)).isEqualTo(2);
    assertThat(t.label()).isEqualTo("estimate ±35% (o200k_base)");
    ModelTokenizer c = t.calibrated(new BigDecimal("1.2"), new BigDecimal("0.05"));
    assertThat(c.tokens(100)).isEqualTo(120);
    assertThat(c.upper(100)).isEqualTo(126);
    assertThat(c.label()).isEqualTo("estimate ±5% (o200k_base × 1.2)");
  }

  @Test
  void anExactOneIsExact() {
    ModelTokenizer t = Tokenizers.resolve("gpt-4o");
    assertThat(t.label()).isEqualTo("exact");
    assertThat(t.tokens(77)).isEqualTo(77);
    assertThat(t.upper(77)).isEqualTo(77);
    assertThat(t.counter().id()).isEqualTo("o200k_base");
  }
}
