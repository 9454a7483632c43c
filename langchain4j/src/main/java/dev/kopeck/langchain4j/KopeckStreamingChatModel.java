package dev.kopeck.langchain4j;

import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.BudgetGuard;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A LangChain4j {@link StreamingChatModel} with a budget. A refused call is answered through the
 * handler's {@code onError} with a {@link dev.kopeck.core.guard.BudgetRefusedException}, without calling
 * the model; a completed stream commits the usage it reports; a stream that fails after text
 * arrived commits an estimate of the prompt and that text (the provider billed it), one that fails
 * before is released. A stream the caller cancels through LangChain4j's streaming handle ends
 * neither way: its reservation holds until it expires.
 */
public final class KopeckStreamingChatModel implements StreamingChatModel {
  private final StreamingChatModel delegate;
  private final BudgetGuard guard;
  private final Function<ChatRequest, List<Scope>> scopes;

  public KopeckStreamingChatModel(StreamingChatModel delegate, BudgetGuard guard,
      Function<ChatRequest, List<Scope>> scopes) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.scopes = Objects.requireNonNull(scopes, "scopes");
  }

  @Override
  public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
    Tap tap = admit(request, handler);
    if (tap != null) {
      call(tap, () -> delegate.chat(request, tap));
    }
  }

  @Override
  public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    Tap tap = admit(request, handler);
    if (tap != null) {
      call(tap, () -> delegate.chat(request, options, tap));
    }
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    Tap tap = admit(request, handler);
    if (tap != null) {
      call(tap, () -> delegate.doChat(request, tap));
    }
  }

  /** The handler with the call around it, or null when refused (the handler was told). */
  private Tap admit(ChatRequest request, StreamingChatResponseHandler handler) {
    GuardedCall c;
    try {
      c = GuardedCall.admit(guard, request, delegate.defaultRequestParameters(), scopes);
    } catch (RuntimeException refused) {
      handler.onError(refused);
      return null;
    }
    return new Tap(c, handler);
  }

  private static void call(Tap tap, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      tap.call.failed(e);
      throw e;
    }
  }

  /** Passes every event on; keeps the text for a stream that fails, and ends the call once. */
  private static final class Tap implements StreamingChatResponseHandler {
    final GuardedCall call;
    private final StreamingChatResponseHandler down;
    private final StringBuffer received = new StringBuffer();

    Tap(GuardedCall call, StreamingChatResponseHandler down) {
      this.call = call;
      this.down = down;
    }

    @Override
    public void onPartialResponse(String text) {
      received.append(text);
      down.onPartialResponse(text);
    }

    @Override
    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
      received.append(partial.text());
      down.onPartialResponse(partial, context);
    }

    @Override
    public void onPartialThinking(PartialThinking thinking) {
      down.onPartialThinking(thinking);
    }

    @Override
    public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
      down.onPartialThinking(thinking, context);
    }

    @Override
    public void onPartialToolCall(PartialToolCall toolCall) {
      down.onPartialToolCall(toolCall);
    }

    @Override
    public void onPartialToolCall(PartialToolCall toolCall, PartialToolCallContext context) {
      down.onPartialToolCall(toolCall, context);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall toolCall) {
      down.onCompleteToolCall(toolCall);
    }

    @Override
    public void onUnmappedRawEvent(Object event) {
      down.onUnmappedRawEvent(event);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
      call.answered(response);
      down.onCompleteResponse(response);
    }

    @Override
    public void onError(Throwable error) {
      if (received.length() > 0) {
        call.cut(received);
      } else {
        call.failed(error);
      }
      down.onError(error);
    }
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  /** None here: the model this decorates tells its own listeners. */
  @Override
  public List<ChatModelListener> listeners() {
    return List.of();
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }
}
