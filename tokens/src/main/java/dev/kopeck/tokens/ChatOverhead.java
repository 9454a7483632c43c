package dev.kopeck.tokens;

/**
 * The tokens a chat format adds around the messages' content, as a family's chat template renders
 * a conversation: per message (role markers, separators) and per request (a begin token, the
 * prompt that asks for the assistant's answer, a system preamble the format always adds).
 *
 * @param perMessage tokens each message adds beyond its content
 * @param perRequest tokens each request adds once
 * @param source where the numbers come from
 */
public record ChatOverhead(int perMessage, int perRequest, String source) {
  /** Gemini counts the parts' content: nothing around it. */
  public static final ChatOverhead NONE = new ChatOverhead(0, 0, "none: the parts' content is what is counted");

  /** The chat overhead of the family a tokenizer belongs to ({@link #NONE} for a tokenizer of no known format). */
  public static ChatOverhead of(String tokenizer) {
    switch (tokenizer) {
      case "o200k_base":
      case "cl100k_base":
      case "p50k_base":
      case "r50k_base":
        return new ChatOverhead(3, 3, "OpenAI's cookbook: 3 tokens a message, 3 a request for the answer's priming");
      case "o200k_harmony":
        // <|start|>role<|message|>content<|end|>; <|start|>assistant; and the system message the harmony
        // renderer adds to every conversation ("You are ChatGPT ... Reasoning: medium ... Valid channels")
        return new ChatOverhead(4, 2 + HARMONY_SYSTEM, "the harmony format (openai-harmony): 4 a message; the"
            + " assistant prompt and the default system message");
      case "llama3":
        // <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>; <|begin_of_text|> and the assistant header
        return new ChatOverhead(5, 5, "Llama 3's chat template (tokenizer_config.json)");
      case "qwen3":
        // <|im_start|>role\ncontent<|im_end|>\n; <|im_start|>assistant\n
        return new ChatOverhead(5, 3, "Qwen's chat template (tokenizer_config.json)");
      case "deepseek_v3":
        // <｜User｜>content; <｜Assistant｜>content<｜end▁of▁sentence｜>; <｜begin▁of▁sentence｜> and <｜Assistant｜>
        return new ChatOverhead(1, 2, "DeepSeek V3's chat template (tokenizer_config.json); an assistant message"
            + " adds one more");
      default:
        return NONE;
    }
  }

  /** The tokens of harmony's default system message, counted with o200k_harmony (ChatOverheadTest). */
  static final int HARMONY_SYSTEM = 61;
}
