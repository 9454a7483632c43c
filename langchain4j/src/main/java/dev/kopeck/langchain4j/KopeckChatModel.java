package dev.kopeck.langchain4j;

import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.BudgetGuard;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A LangChain4j {@link ChatModel} with a budget: each call is estimated and its worst case
 * reserved on the caller's scopes before it is made, or refused with a
 * {@link dev.kopeck.core.guard.BudgetRefusedException} without calling the model; its usage is
 * committed when it answers (read from the raw HTTP response of LangChain4j's OpenAI models, else
 * from {@code TokenUsage}), and the reservation released when it fails. Use it wherever the model
 * is used, AI services included:
 *
 * <pre>{@code
 * ChatModel model = new KopeckChatModel(OpenAiChatModel.builder()...build(), guard, r -> List.of(scope));
 * }</pre>
 *
 * <p>A {@code ChatModelListener} cannot refuse a call, only meter it; this decorator can. The
 * model's own retries happen inside one call, which is charged once.
 */
public final class KopeckChatModel implements ChatModel {
  private final ChatModel delegate;
  private final BudgetGuard guard;
  private final Function<ChatRequest, List<Scope>> scopes;

  /**
   * @param delegate the model that answers
   * @param guard reserves and commits, and tells its listener (metrics)
   * @param scopes the scopes a call is charged to
   */
  public KopeckChatModel(ChatModel delegate, BudgetGuard guard, Function<ChatRequest, List<Scope>> scopes) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.guard = Objects.requireNonNull(guard, "guard");
    this.scopes = Objects.requireNonNull(scopes, "scopes");
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return guarded(request, () -> delegate.chat(request));
  }

  @Override
  public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
    return guarded(request, () -> delegate.chat(request, options));
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    return guarded(request, () -> delegate.doChat(request));
  }

  private ChatResponse guarded(ChatRequest request, Supplier<ChatResponse> call) {
    GuardedCall c = GuardedCall.admit(guard, request, delegate.defaultRequestParameters(), scopes);
    ChatResponse r;
    try {
      r = call.get();
    } catch (RuntimeException | Error e) {
      c.failed(e);
      throw e;
    }
    c.answered(r);
    return r;
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
