package dev.kopeck.bench;

import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.okhttp.KopeckInterceptor;
import dev.kopeck.core.reconcile.Reconciler;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code KopeckInterceptor} adds to a chat call: the request estimated (1K and 100K tokens of
 * text), its worst case reserved, the answer's usage read and committed; and a streamed answer of
 * 1,000 chunks read through the tap. The upstream is a chain that answers at once (no network), so
 * the figures are the interceptor's own; {@code plain*} is the same chain without it, in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class InterceptorBenchmark {
  static final MediaType JSON = MediaType.get("application/json");
  static final String MODEL = "google/gemini-2.0-flash-001";
  static final String ANSWER = "{\"id\":\"gen-1\",\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":"
      + "{\"role\":\"assistant\",\"content\":\"Hi.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,"
      + "\"completion_tokens\":200,\"total_tokens\":1200}}";

  /** Tokens of text in the request (about four characters a token). */
  @Param({"1000", "100000"})
  public int tokens;

  KopeckInterceptor interceptor;
  String body;
  String stream;
  long next;

  @Setup
  public void setUp() {
    InMemoryLedger ledger = InMemoryLedger.builder().idempotencyWindow(Duration.ZERO).build();
    Estimator est = Estimator.standard();
    BudgetGuard guard = new BudgetGuard(est, Reconciler.builder().estimator(est).build(), ledger, Clock.systemUTC());
    List<dev.kopeck.budget.Scope> scopes = List.of(dev.kopeck.budget.Scope.of("team:ml"));
    interceptor = new KopeckInterceptor(guard, r -> scopes);
    com.fasterxml.jackson.databind.node.ObjectNode b = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
        .objectNode().put("model", MODEL).put("max_tokens", 100);
    b.putArray("messages").addObject().put("role", "user").put("content", BenchText.natural(tokens * 4, 7));
    body = b.toString();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      s.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"}}]}\n\n");
    }
    s.append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":1000}}\n\ndata: [DONE]\n\n");
    stream = s.toString();
    try {
      check();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  Request request(boolean streamed) {
    String b = streamed ? body.replace("\"max_tokens\":100,", "\"max_tokens\":100,\"stream\":true,") : body;
    if (streamed && !b.contains("\"stream\":true")) {
      throw new IllegalStateException("the streamed request is not streamed: " + b.substring(0, 80));
    }
    return new Request.Builder().url("https://router.example/api/v1/chat/completions")
        .header(KopeckInterceptor.REQUEST_ID_HEADER, "r" + next++).post(RequestBody.create(b, JSON)).build();
  }

  /** A chain whose upstream answers {@code answer} at once. */
  static final class Upstream implements Interceptor.Chain {
    final Request request;
    final String answer;

    Upstream(Request request, String answer) {
      this.request = request;
      this.answer = answer;
    }

    @Override
    public Request request() {
      return request;
    }

    @Override
    public Response proceed(Request r) {
      return new Response.Builder().request(r).protocol(Protocol.HTTP_1_1).code(200).message("OK")
          .body(ResponseBody.create(answer, JSON)).build();
    }

    @Override
    public Connection connection() {
      return null;
    }

    @Override
    public Call call() {
      throw new UnsupportedOperationException();
    }

    @Override
    public int connectTimeoutMillis() {
      return 0;
    }

    @Override
    public Interceptor.Chain withConnectTimeout(int t, TimeUnit u) {
      return this;
    }

    @Override
    public int readTimeoutMillis() {
      return 0;
    }

    @Override
    public Interceptor.Chain withReadTimeout(int t, TimeUnit u) {
      return this;
    }

    @Override
    public int writeTimeoutMillis() {
      return 0;
    }

    @Override
    public Interceptor.Chain withWriteTimeout(int t, TimeUnit u) {
      return this;
    }
  }

  /** The interceptor must have committed (not refused or failed): checked once, before the run. */
  void check() throws IOException {
    if (!call().contains("\"usage\"") || !streamedCall().contains("word")) {
      throw new IllegalStateException("the interceptor did not pass the call through");
    }
  }

  @Benchmark
  public String plainCall() throws IOException {
    Request r = request(false);
    try (Response resp = new Upstream(r, ANSWER).proceed(r)) {
      return resp.body().string();
    }
  }

  @Benchmark
  public String call() throws IOException {
    Request r = request(false);
    try (Response resp = interceptor.intercept(new Upstream(r, ANSWER))) {
      return resp.body().string();
    }
  }

  /** 1,000 chunks read through the tap: divide by 1,000 for the cost a chunk. */
  @Benchmark
  public String streamedCall() throws IOException {
    Request r = request(true);
    try (Response resp = interceptor.intercept(new Upstream(r, stream))) {
      return resp.body().string();
    }
  }

  @Benchmark
  public String plainStreamedCall() throws IOException {
    Request r = request(true);
    try (Response resp = new Upstream(r, stream).proceed(r)) {
      return resp.body().string();
    }
  }
}
