package dev.kopeck.vocab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.tokens.ChatOverhead;
import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each open family's chat overhead is what its chat template adds: a three-message conversation
 * (system, user, assistant, then the prompt for the answer) rendered as the template in the
 * vocabulary's package renders it (tokenizer_config.json; harmony by OpenAI's renderer, with its
 * default system message) counts the contents plus {@code perMessage × 3 + perRequest}. The
 * rendered conversations' counts are the reference tokenizers' (../shared/oracle, HuggingFace
 * tokenizers), pinned here.
 */
class ChatOverheadTest {
  static final List<String> CONTENTS = List.of("Be brief.", "Hello there", "Hi! How can I help?");
  static final String HARMONY_SYSTEM = "<|start|>system<|message|>You are ChatGPT, a large language model trained by"
      + " OpenAI.\nKnowledge cutoff: 2024-06\nCurrent date: 2025-06-28\n\nReasoning: medium\n\n# Valid channels:"
      + " analysis, commentary, final. Channel must be included for every message.<|end|>";

  static String render(String family) {
    String sys = CONTENTS.get(0);
    String user = CONTENTS.get(1);
    String assistant = CONTENTS.get(2);
    switch (family) {
      case "llama3":
        return "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n" + sys + "<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\n" + user + "<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n" + assistant + "<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n";
      case "qwen3":
        return "<|im_start|>system\n" + sys + "<|im_end|>\n<|im_start|>user\n" + user + "<|im_end|>\n"
            + "<|im_start|>assistant\n" + assistant + "<|im_end|>\n<|im_start|>assistant\n";
      case "deepseek_v3":
        return "<｜begin▁of▁sentence｜>" + sys + "<｜User｜>" + user + "<｜Assistant｜>" + assistant
            + "<｜end▁of▁sentence｜><｜Assistant｜>";
      default: // o200k_harmony
        return HARMONY_SYSTEM + "<|start|>developer<|message|>" + sys + "<|end|><|start|>user<|message|>" + user
            + "<|end|><|start|>assistant<|message|>" + assistant + "<|end|><|start|>assistant";
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"llama3, 32", "qwen3, 30", "deepseek_v3, 17", "o200k_harmony, 87"})
  void theOverheadIsWhatTheTemplateAdds(String family, int reference) {
    TokenCounter t = Tokenizers.require(family);
    String conversation = render(family);
    assertThat(t.count(conversation)).as("the reference's count of the rendered conversation").isEqualTo(reference);
    int contents = CONTENTS.stream().mapToInt(t::count).sum();
    ChatOverhead o = ChatOverhead.of(family);
    assertThat(contents + 3 * o.perMessage() + o.perRequest()).isEqualTo(reference);
  }
}
