package dev.kopeck.spring.ai;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.BudgetRefusedException;
import dev.kopeck.pricing.usage.Usage;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.client.advisor.api.CallAdvisor;
import org.springframework.ai.chat.client.advisor.api.CallAdvisorChain;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisor;
import org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.core.Ordered;
import reactor.core.publisher.Flux;

/**
 * A Spring AI advisor that puts a budget around every {@code ChatClient} call it advises, whatever
 * the model: the call is estimated and its worst case reserved before the model is called, or
 * refused with a {@link BudgetRefusedException} (a stream: an error signal) without calling it; its
 * usage ({@code ChatResponse} metadata) is committed after, and the reservation released when it
 * fails. A call names its scope with the advisor parameter {@value #SCOPE}; else the advisor's
 * default scope pays.
 *
 * <pre>{@code
 * chatClient.prompt().user("…").advisors(a -> a.param(KopeckAdvisor.SCOPE, "team:ml")).call().content();
 * }</pre>
 *
 * <p>For Spring AI's OpenAI models the starter already guards the HTTP calls (usage read from the
 * wire, streams included): attach this advisor to a client of another model, or turn that off
 * ({@code kopeck.openai-http=false}), not both, or a call is reserved twice.
 */
public final class KopeckAdvisor implements CallAdvisor, StreamAdvisor {
  /** The advisor parameter (context key) naming the scope a call is charged to. */
  public static final String SCOPE = "kopeck.scope";

  private final BudgetGuard guard;
  private final Scope defaultScope;
  private final String defaultModel;

  public KopeckAdvisor(BudgetGuard guard, Scope defaultScope) {
    this(guard, defaultScope, null);
  }

  /**
   * @param defaultModel the model a prompt without one in its options is estimated as, or null: then
   *     the guard's registry's configured default, else such a prompt is refused
   */
  public KopeckAdvisor(BudgetGuard guard, Scope defaultScope, String defaultModel) {
    this.guard = Objects.requireNonNull(guard, "guard");
    this.defaultScope = Objects.requireNonNull(defaultScope, "defaultScope");
    this.defaultModel = defaultModel;
  }

  @Override
  public String getName() {
    return "kopeck";
  }

  /** First: a refusal costs nothing downstream. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  /** A call admitted: its id and request. */
  private record Admitted(String id, dev.kopeck.core.estimate.ChatRequest request) {}

  private Admitted admit(ChatClientRequest r) {
    dev.kopeck.core.estimate.ChatRequest k = Prompts.toKopeck(r.prompt(), defaultModel);
    Object named = r.context().get(SCOPE);
    Scope scope = named == null ? defaultScope : Scope.of(named.toString());
    String id = "kopeck-" + UUID.randomUUID();
    Admission a = guard.admit(id, k, List.of(scope));
    if (!a.granted()) {
      throw new BudgetRefusedException((Admission.Refusal) a);
    }
    return new Admitted(id, k);
  }

  @Override
  public ChatClientResponse adviseCall(ChatClientRequest request, CallAdvisorChain chain) {
    Admitted a = admit(request);
    ChatClientResponse r;
    try {
      r = chain.nextCall(request);
    } catch (RuntimeException | Error e) {
      guard.fail(a.id(), "the call failed: " + e);
      throw e;
    }
    guard.settle(a.id(), a.request(), usage(r.chatResponse()), text(r.chatResponse()));
    return r;
  }

  @Override
  public Flux<ChatClientResponse> adviseStream(ChatClientRequest request, StreamAdvisorChain chain) {
    Admitted a;
    try {
      a = admit(request);
    } catch (RuntimeException refused) {
      return Flux.error(refused);
    }
    StringBuffer received = new StringBuffer();
    AtomicReference<Usage> last = new AtomicReference<>();
    return chain.nextStream(request)
        .doOnNext(r -> {
          received.append(text(r.chatResponse()));
          Usage u = usage(r.chatResponse());
          if (u != null) {
            last.set(u); // running totals: the last one counts
          }
        })
        .doOnComplete(() -> guard.settle(a.id(), a.request(), last.get(), received))
        .doOnError(e -> {
          if (last.get() != null || received.length() > 0) {
            guard.settle(a.id(), a.request(), last.get(), received);
          } else {
            guard.fail(a.id(), "the stream failed: " + e);
          }
        })
        .doOnCancel(() -> guard.settle(a.id(), a.request(), last.get(), received));
  }

  /** The usage in a response's metadata; null when it reports none. */
  static Usage usage(ChatResponse r) {
    if (r == null || r.getMetadata() == null || r.getMetadata().getUsage() == null) {
      return null;
    }
    org.springframework.ai.chat.metadata.Usage u = r.getMetadata().getUsage();
    Integer in = u.getPromptTokens();
    Integer out = u.getCompletionTokens();
    if (in == null || out == null || in + out == 0) {
      return null; // Spring AI's EmptyUsage
    }
    Usage.Builder b = Usage.builder().inputTokens(in).outputTokens(out);
    if (u.getCacheReadInputTokens() != null) {
      b.cacheReadTokens(u.getCacheReadInputTokens());
    }
    if (u.getCacheWriteInputTokens() != null) {
      b.cacheWriteTokens(u.getCacheWriteInputTokens());
    }
    return b.build();
  }

  private static String text(ChatResponse r) {
    if (r == null || r.getResult() == null || r.getResult().getOutput() == null) {
      return "";
    }
    String t = r.getResult().getOutput().getText();
    return t == null ? "" : t;
  }
}
