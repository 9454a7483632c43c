package dev.kopeck.langchain4j;

import dev.kopeck.core.estimate.Conversation;
import dev.kopeck.core.estimate.Estimator;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import java.util.Objects;

/**
 * LangChain4j's {@link TokenCountEstimator} with Kopeck's counts for one model: the model's own
 * tokenizer where it is open (exact for the text; messages add the overhead Kopeck's estimates
 * use, media their documented rule), else the closest open tokenizer times the learned ratio. For
 * LangChain4j's memory windows ({@code TokenWindowChatMemory}) and document splitters.
 */
public final class KopeckTokenCountEstimator implements TokenCountEstimator {
  private final Estimator estimator;
  private final String model;

  /**
   * @param model a model of the estimator's tariff tables
   * @throws dev.kopeck.base.InputException if the model is unknown or has no tokenizer to count with
   */
  public KopeckTokenCountEstimator(Estimator estimator, String model) {
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.model = Objects.requireNonNull(model, "model");
    estimator.textTokens(model, ""); // an unknown model is refused here, not at the first count
  }

  @Override
  public int estimateTokenCountInText(String text) {
    return Math.toIntExact(estimator.textTokens(model, text));
  }

  @Override
  public int estimateTokenCountInMessage(ChatMessage message) {
    return Math.toIntExact(estimator.conversation(model).append(Requests.message(0, message)).tokens());
  }

  @Override
  public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
    Conversation c = estimator.conversation(model);
    int i = 0;
    for (ChatMessage m : messages) {
      c.append(Requests.message(i++, m));
    }
    return Math.toIntExact(c.tokens());
  }
}
