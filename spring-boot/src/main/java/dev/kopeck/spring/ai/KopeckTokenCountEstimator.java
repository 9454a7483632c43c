package dev.kopeck.spring.ai;

import dev.kopeck.core.estimate.Conversation;
import dev.kopeck.core.estimate.Estimator;
import java.util.Objects;
import org.springframework.ai.content.MediaContent;
import org.springframework.ai.tokenizer.TokenCountEstimator;

/**
 * Spring AI's {@link TokenCountEstimator} with Kopeck's counts for one model: its own tokenizer
 * where it is open (exact for text), media by the model's documented rule, where Spring AI's
 * default counts every model with one OpenAI encoding.
 */
public final class KopeckTokenCountEstimator implements TokenCountEstimator {
  private final Estimator estimator;
  private final String model;

  public KopeckTokenCountEstimator(Estimator estimator, String model) {
    this.estimator = Objects.requireNonNull(estimator, "estimator");
    this.model = Objects.requireNonNull(model, "model");
    estimator.textTokens(model, ""); // an unknown model is refused here, not at the first count
  }

  @Override
  public int estimate(String text) {
    return text == null ? 0 : Math.toIntExact(estimator.textTokens(model, text));
  }

  @Override
  public int estimate(MediaContent content) {
    return Math.toIntExact(estimator.conversation(model).append(Prompts.message(0, content)).tokens());
  }

  @Override
  public int estimate(Iterable<MediaContent> contents) {
    Conversation c = estimator.conversation(model);
    int i = 0;
    for (MediaContent m : contents) {
      c.append(Prompts.message(i++, m));
    }
    return Math.toIntExact(c.tokens());
  }
}
