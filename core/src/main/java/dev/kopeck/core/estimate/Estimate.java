package dev.kopeck.core.estimate;

import dev.kopeck.pricing.money.Money;
import dev.kopeck.pricing.usage.Modalities;
import java.util.List;
import dev.kopeck.tokens.ModelTokenizer;
import java.util.Objects;

/**
 * What a request will use and cost, before it is sent.
 *
 * @param input input tokens by modality (tool declarations, schemas and per-message overhead are
 *     text); {@code input.total()} is the whole input
 * @param outputMax the most it can produce: max tokens (else the model's output limit) times n
 * @param outputExpected the expected output: a documented default, or what calibration learned
 * @param costMin the cost of the input alone (the model answers nothing)
 * @param costExpected input plus the expected output
 * @param costMax input plus the maximum output: what to reserve. When a part could not be measured
 *     ({@code unmeasuredParts} > 0), the input is taken as the whole context window, the unmeasured
 *     rest at the dearest input rate: the most a call the provider accepts can cost
 * @param contextLimit the model's input token limit
 * @param requestedOutput the output one choice may produce (for the output-limit check)
 * @param provider who bills the model, as the registry resolved it
 * @param toolTokens the tool declarations, the tool choice and the response schema
 * @param overheadTokens what the chat format adds around the content: per message (roles and names
 *     where the format counts them) and per request (the priming of the answer)
 * @param contextLimit the model's input token limit ({@code Long.MAX_VALUE} when not known; a warning says so)
 * @param fits whether the input is within the input limit and the requested output within the
 *     output limit; false when a part could not be measured (it may not fit)
 * @param misfit why it does not fit, naming the limit ({@code max_tokens 10,000 is over the 8,192-token
 *     output limit}), or null when it fits
 * @param warnings every assumption made, with where in the request
 * @param rawTextTokens the messages' text as the tokenizer counts it, before calibration and
 *     without tools, schema or overhead (what calibration learns from)
 * @param messages how many messages the request has
 * @param unmeasuredParts how many parts could not be measured (a {@code file_id}, remote audio or
 *     video, a medium the model's rules do not count); {@code input} leaves them out
 * @param tokenizer which tokenizer counted the text: the model's own ({@code exact()}), or the
 *     closest open one, an estimate within {@code ±bound()}
 * @param textSlack the text tokens {@code costMax} adds for that bound (0 when the count is exact)
 * @param toolChoiceTokens what the request's {@code tool_choice} adds (part of {@code toolTokens}): naming a
 *     function, its name's tokens and 4; {@code none}, 1; for OpenAI's encodings, as openai-chat-tokens counts it
 * @param overheadCount how {@code overheadTokens} is known: {@code exact} (the model's own tokenizer and its
 *     format's published rule or chat template: OpenAI's cookbook, Llama's, Qwen's, DeepSeek's templates),
 *     {@code estimate} (a format assumed: Gemini's, taken as none; Claude's and other unpublished formats, taken
 *     as the stand-in tokenizer's), or {@code calibrated} (the per-message overhead calibration learned)
 * @param overheadRule the rule behind {@code overheadTokens}, for people
 */
public record Estimate(
    String model,
    String provider,
    Modalities input,
    long toolTokens,
    long overheadTokens,
    long images,
    long outputMax,
    long outputExpected,
    Money costMin,
    Money costExpected,
    Money costMax,
    long contextLimit,
    long outputLimit,
    long requestedOutput,
    boolean fits,
    String misfit,
    List<String> warnings,
    long rawTextTokens,
    int messages,
    int unmeasuredParts,
    ModelTokenizer tokenizer,
    long textSlack,
    long toolChoiceTokens,
    String overheadCount,
    String overheadRule) {

  public Estimate {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(overheadCount, "overheadCount");
    Objects.requireNonNull(overheadRule, "overheadRule");
    warnings = List.copyOf(warnings);
  }

  /** Input tokens still free under the input limit; negative when over. */
  public long contextRemaining() {
    return contextLimit - input.total();
  }
}
