package dev.kopeck.langchain4j;

import dev.kopeck.pricing.usage.Usage;
import dev.kopeck.pricing.usage.UsageParser;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;

/**
 * The usage of a LangChain4j answer: read from the raw HTTP response where the model keeps it
 * (LangChain4j's OpenAI models: the whole usage, with cached and reasoning tokens and a router's
 * cost), else from its {@link TokenUsage}; null when it reports none.
 */
final class Usages {
  private static final boolean OPENAI = present("dev.langchain4j.model.openai.OpenAiChatResponseMetadata");

  private Usages() {}

  static Usage of(String requestId, ChatResponse r) {
    if (OPENAI) {
      String raw = OpenAiRaw.text(r.metadata());
      if (raw != null) {
        try {
          return UsageParser.parse("response of " + requestId, raw);
        } catch (RuntimeException noUsageThere) {
          // the TokenUsage below, if any
        }
      }
    }
    TokenUsage t = r.tokenUsage();
    if (t == null || t.inputTokenCount() == null || t.outputTokenCount() == null) {
      return null;
    }
    Usage.Builder b = Usage.builder().inputTokens(t.inputTokenCount()).outputTokens(t.outputTokenCount());
    if (OPENAI) {
      OpenAiRaw.details(t, b);
    }
    return b.build();
  }

  private static boolean present(String name) {
    try {
      Class.forName(name, false, Usages.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
