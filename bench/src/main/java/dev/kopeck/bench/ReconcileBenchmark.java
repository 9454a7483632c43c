package dev.kopeck.bench;

import dev.kopeck.core.reconcile.LogReconciler;
import dev.kopeck.core.reconcile.Reconciler;
import dev.kopeck.core.reconcile.Summary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reconciling a log, single-threaded, in lines per second (ops/s, one op = one line): {@code usage}
 * lines carry a response (OpenAI-compatible or Gemini, a third with a reported cost); {@code request}
 * lines carry a short chat request as well, which is estimated. {@link #main} writes such a log to
 * a file for a run of {@code kopeck reconcile} itself.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class ReconcileBenchmark {
  static final int LINES = 20_000;

  @Param({"usage", "request"})
  public String kind;

  String log;
  LogReconciler reconciler;

  @Setup
  public void setUp() {
    log = log(LINES, kind.equals("request"), 42);
    reconciler = new LogReconciler(Reconciler.standard());
  }

  static String log(int lines, boolean requests, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder(lines * 300);
    String[] words = {"hello", "world", "price", "tokens", "kopeck", "rouble", "budget", "router", "model", "image"};
    for (int i = 1; i <= lines; i++) {
      long prompt = 50 + r.nextInt(5000);
      long completion = 1 + r.nextInt(800);
      long ts = 1_740_000_000L + i * 37L;
      sb.append("{\"id\":\"call-").append(i).append("\",\"timestamp\":").append(ts);
      if (requests) {
        sb.append(",\"request\":{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":1024,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"");
        for (int w = 0; w < 20 + r.nextInt(40); w++) {
          sb.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
        }
        sb.append("\"}]}");
      }
      if (i % 2 == 0) {
        sb.append(",\"response\":{\"model\":\"google/gemini-2.0-flash-001\",\"created\":").append(ts)
            .append(",\"usage\":{\"prompt_tokens\":").append(prompt).append(",\"completion_tokens\":").append(completion)
            .append(",\"total_tokens\":").append(prompt + completion)
            .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(prompt / 4).append('}');
        if (i % 3 == 0) {
          sb.append(",\"cost\":").append(new java.math.BigDecimal(prompt * 15 + completion * 60).movePointLeft(6).toPlainString());
        }
        sb.append("}}}\n");
      } else {
        sb.append(",\"response\":{\"modelVersion\":\"gemini-2.0-flash-001\",\"usageMetadata\":{\"promptTokenCount\":")
            .append(prompt).append(",\"candidatesTokenCount\":").append(completion).append(",\"totalTokenCount\":")
            .append(prompt + completion).append("}}}\n");
      }
    }
    return sb.toString();
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public Summary reconcileLog() {
    return reconciler.run("bench", new java.io.ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), LogReconciler.QUIET);
  }

  /** Writes a log: {@code java -cp bench/target/benchmarks.jar dev.kopeck.bench.ReconcileBenchmark LINES usage|request FILE}. */
  public static void main(String[] args) throws IOException {
    int lines = Integer.parseInt(args[0]);
    Files.writeString(Path.of(args[2]), log(lines, args[1].equals("request"), 42), StandardCharsets.UTF_8);
  }
}
