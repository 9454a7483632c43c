package dev.kopeck.bench;

import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.HttpChatGuard;
import dev.kopeck.core.reconcile.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the stream tap costs a chunk, alone: the lines of 1,000 chat chunks (and a Responses
 * stream's 1,000 text events) shown to one admitted call, as every HTTP integration shows them.
 * The lines are made before the run, as a client makes them from the bytes it reads; so
 * {@code gc.alloc.rate.norm} (with {@code -prof gc}) is what the tap itself allocates a chunk. The
 * call is admitted and ended outside the measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StreamTapBenchmark {
  static final int CHUNKS = 1000;
  static final String MODEL = "google/gemini-2.0-flash-001";

  HttpChatGuard guard;
  String[] chat = new String[CHUNKS];
  String[] responses = new String[CHUNKS];
  HttpChatGuard.Call chatCall;
  HttpChatGuard.Call responsesCall;
  long next;

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryLedger ledger = InMemoryLedger.builder().idempotencyWindow(Duration.ZERO).build();
    Estimator est = Estimator.standard();
    guard = new HttpChatGuard(new BudgetGuard(est, Reconciler.builder().estimator(est).build(), ledger,
        Clock.systemUTC()));
    for (int i = 0; i < CHUNKS; i++) {
      chat[i] = "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"created\":1741608000,\"model\":\""
          + MODEL + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word" + i + "\"},\"finish_reason\":null}]}\n";
      responses[i] = "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,"
          + "\"content_index\":0,\"delta\":\" word" + i + "\"}\n";
    }
  }

  /** A fresh admitted call for each iteration: the text it keeps grows by what the chunks carry. */
  @Setup(Level.Iteration)
  public void admit() {
    chatCall = (HttpChatGuard.Call) guard.start("{\"model\":\"" + MODEL + "\",\"stream\":true,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Count.\"}]}", "c" + next++, () -> List.of(dev.kopeck.budget.Scope.of("t")));
    responsesCall = (HttpChatGuard.Call) guard.start("{\"model\":\"" + MODEL + "\",\"stream\":true,\"input\":\"Count.\"}",
        "r" + next++, () -> List.of(dev.kopeck.budget.Scope.of("t")));
  }

  @Benchmark
  @OperationsPerInvocation(CHUNKS)
  public int chatChunk() {
    int passed = 0;
    for (String l : chat) {
      passed += chatCall.line(l) ? 1 : 0;
    }
    return passed;
  }

  @Benchmark
  @OperationsPerInvocation(CHUNKS)
  public int responsesEvent() {
    int passed = 0;
    for (String l : responses) {
      passed += responsesCall.line(l) ? 1 : 0;
    }
    return passed;
  }
}
