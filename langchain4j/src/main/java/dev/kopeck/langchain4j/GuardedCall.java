package dev.kopeck.langchain4j;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.BudgetRefusedException;
import dev.kopeck.pricing.usage.Usage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** One call of a decorated model, from its reserve to its commit or release: what both decorators share. */
final class GuardedCall {
  private final BudgetGuard guard;
  private final String id;
  private final dev.kopeck.core.estimate.ChatRequest request;
  private boolean done;

  private GuardedCall(BudgetGuard guard, String id, dev.kopeck.core.estimate.ChatRequest request) {
    this.guard = guard;
    this.id = id;
    this.request = request;
  }

  /**
   * Estimates the call and reserves its worst case.
   *
   * @throws BudgetRefusedException when a scope cannot afford it
   * @throws IllegalArgumentException when Kopeck cannot estimate it (a message or content it does not know)
   */
  static GuardedCall admit(BudgetGuard guard, ChatRequest r, ChatRequestParameters defaults,
      Function<ChatRequest, List<Scope>> scopes) {
    dev.kopeck.core.estimate.ChatRequest k = Requests.toKopeck(r, defaults);
    String id = "kopeck-" + UUID.randomUUID();
    Admission a = guard.admit(id, k, scopes.apply(r));
    if (!a.granted()) {
      throw new BudgetRefusedException((Admission.Refusal) a);
    }
    return new GuardedCall(guard, id, k);
  }

  /** No answer: released. */
  synchronized void failed(Throwable e) {
    if (!done) {
      done = true;
      guard.fail(id, "the call failed: " + e);
    }
  }

  /** Answered: the usage it reports is committed, or an estimate of the prompt and its text when it reports none. */
  synchronized void answered(ChatResponse r) {
    Usage u = Usages.of(id, r);
    commit(u, r.aiMessage() == null ? null : r.aiMessage().text());
  }

  /** A stream that failed after {@code received} arrived: the provider billed it, so an estimate is committed. */
  synchronized void cut(CharSequence received) {
    commit(null, received);
  }

  private void commit(Usage usage, CharSequence text) {
    if (done) {
      return;
    }
    done = true;
    guard.settle(id, request, usage, text);
  }
}
