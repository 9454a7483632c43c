package dev.kopeck.langchain4j;

import dev.kopeck.pricing.usage.Usage;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;

/** What LangChain4j's OpenAI models keep of the raw answer. Loaded only when they are on the class path. */
final class OpenAiRaw {
  private OpenAiRaw() {}

  /** The response's body, or its stream's events as server-sent events text; null if not kept. */
  static String text(ChatResponseMetadata m) {
    if (!(m instanceof OpenAiChatResponseMetadata o)) {
      return null;
    }
    if (o.rawHttpResponse() != null && o.rawHttpResponse().body() != null) {
      return o.rawHttpResponse().body();
    }
    List<ServerSentEvent> events = o.rawServerSentEvents();
    if (events == null || events.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (ServerSentEvent e : events) {
      sb.append("data: ").append(e.data()).append("\n\n");
    }
    return sb.toString();
  }

  /** The cached and reasoning tokens an OpenAI token usage adds. */
  static void details(TokenUsage t, Usage.Builder b) {
    if (t instanceof OpenAiTokenUsage o) {
      if (o.inputTokensDetails() != null && o.inputTokensDetails().cachedTokens() != null) {
        b.cacheReadTokens(o.inputTokensDetails().cachedTokens());
      }
      if (o.outputTokensDetails() != null && o.outputTokensDetails().reasoningTokens() != null) {
        b.reasoningTokens(o.outputTokensDetails().reasoningTokens());
      }
    }
  }
}
