package dev.kopeck.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Commit;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.ScopeStatus;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.guard.BudgetRefusedException;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.guard.GuardListener;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.okhttp.KopeckInterceptor;
import dev.kopeck.core.reconcile.Reconciler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Currency;
import java.util.List;

/**
 * Sends each line of a file of OpenAI chat requests through the official openai-java client with
 * Kopeck's interceptor, against an in-memory budget: one JSON line per request, and the totals.
 *
 * <pre>
 * java -jar examples/openai-java/target/openai-budget-demo.jar --base-url URL --api-key KEY \
 *     --limit AMOUNT [--currency CODE] --scope SCOPE REQUESTS.jsonl
 * </pre>
 *
 * The budget is in {@code --currency} (RUB by default); every model the registry knows is budgeted:
 * the router's in roubles, gpt-4o and the rest of the catalog in USD.
 */
public final class OpenAiBudgetDemo {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiBudgetDemo() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** What one call came to, as the interceptor saw it. */
  private static final class Seen implements GuardListener {
    Admission.Refusal refusal;
    Commit commit;
    boolean released;

    @Override
    public void refused(Admission.Refusal r, ChatRequest request) {
      refusal = r;
    }

    @Override
    public void committed(Charge c, boolean estimated) {
      commit = c.commit();
    }

    @Override
    public void released(String requestId, String why) {
      released = true;
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String baseUrl = null;
    String apiKey = null;
    String limit = null;
    String scopeName = null;
    String file = null;
    String currencyCode = "RUB";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--") && i + 1 < args.length) {
        switch (a) {
          case "--base-url" -> baseUrl = args[++i];
          case "--api-key" -> apiKey = args[++i];
          case "--limit" -> limit = args[++i];
          case "--scope" -> scopeName = args[++i];
          case "--currency" -> currencyCode = args[++i];
          default -> {
            err.println("openai-budget-demo: unknown option " + a);
            return 2;
          }
        }
      } else if (file == null && !a.startsWith("--")) {
        file = a;
      } else {
        err.println("openai-budget-demo: unexpected argument " + a);
        return 2;
      }
    }
    if (baseUrl == null || apiKey == null || limit == null || scopeName == null || file == null) {
      err.println("usage: openai-budget-demo --base-url URL --api-key KEY --limit AMOUNT [--currency CODE] --scope"
          + " SCOPE REQUESTS.jsonl");
      return 2;
    }
    Currency currency;
    try {
      currency = Currency.getInstance(currencyCode.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      err.println("openai-budget-demo: --currency: not an ISO 4217 currency code: " + currencyCode);
      return 2;
    }
    long limitNanos;
    Scope scope;
    try {
      BigDecimal rub = new BigDecimal(limit);
      if (rub.signum() < 0) {
        throw new NumberFormatException();
      }
      limitNanos = rub.movePointRight(9).longValueExact();
      scope = Scope.of(scopeName);
    } catch (NumberFormatException | ArithmeticException e) {
      err.println("openai-budget-demo: --limit: not an amount of " + currency.getCurrencyCode() + " with at most 9"
          + " decimals: " + limit);
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("openai-budget-demo: --scope: " + e.getMessage());
      return 2;
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      err.println("openai-budget-demo: " + file + ": not a readable file");
      return 2;
    }

    // --- the lines a service needs (README) ---
    InMemoryLedger ledger = InMemoryLedger.builder().build();
    ledger.setLimit(scope, limitNanos, BudgetPeriod.DAY, currency);
    Estimator estimator = Estimator.standard();
    Seen seen = new Seen();
    BudgetGuard guard = new BudgetGuard(estimator, Reconciler.builder().estimator(estimator).build(), ledger,
        Clock.systemUTC()).withListener(seen);
    KopeckInterceptor budget = new KopeckInterceptor(guard, request -> List.of(scope));
    OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).maxRetries(0)
        .addInterceptor(budget).build();
    // ---

    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        seen.refusal = null;
        seen.commit = null;
        seen.released = false;
        ObjectNode o = JSON.createObjectNode().put("line", n);
        try {
          send(openai, line);
        } catch (RuntimeException e) {
          if (seen.refusal != null) {
            out.println(o.put("admitted", false).put("refusal", BudgetRefusedException.describe(seen.refusal)));
            continue;
          }
          // admitted: a reservation was made (then committed, or released when the call failed)
          o.put("admitted", seen.commit != null || seen.released);
          out.println(o.put("error", message(e)));
          continue;
        }
        o.put("admitted", true);
        if (seen.commit != null) {
          o.put("cost", Money.ofNanos(seen.commit.actualNanos(), currency).toPlainString());
        }
        out.println(o);
      }
    } catch (IOException e) {
      err.println("openai-budget-demo: " + file + ": " + e.getMessage());
      return 2;
    } finally {
      openai.close();
    }
    ScopeStatus s = ledger.status(scope);
    out.println(JSON.createObjectNode().put("spent", Money.ofNanos(s.spentNanos(), currency).toPlainString())
        .put("reserved", Money.ofNanos(s.reservedNanos(), currency).toPlainString()));
    return 0;
  }

  /** A line that is not a chat request: said, and the run goes on. */
  private static final class BadLine extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadLine(String message) {
      super(message);
    }
  }

  /** Sends one request body: streamed (read to its end) when it says {@code "stream": true}. */
  private static void send(OpenAIClient openai, String line) {
    JsonNode body;
    try {
      body = JSON.readTree(line);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadLine("not JSON: " + e.getOriginalMessage());
    }
    if (!body.isObject()) {
      throw new BadLine("not a JSON object");
    }
    ObjectNode o = (ObjectNode) body;
    boolean stream = o.path("stream").asBoolean(false);
    o.remove("stream"); // the client says it: createStreaming
    ChatCompletionCreateParams params;
    try {
      params = ChatCompletionCreateParams.builder()
          .body(ObjectMappers.jsonMapper().treeToValue(o, ChatCompletionCreateParams.Body.class)).build();
    } catch (IOException | RuntimeException e) {
      throw new BadLine("not a chat request: " + e.getMessage());
    }
    if (stream) {
      try (StreamResponse<ChatCompletionChunk> s = openai.chat().completions().createStreaming(params)) {
        s.stream().forEach(chunk -> { });
      }
    } else {
      openai.chat().completions().create(params);
    }
  }

  private static String message(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    Throwable c = e.getCause();
    return c == null || c.getMessage() == null ? m : m + ": " + c.getMessage().lines().findFirst().orElse("");
  }
}
