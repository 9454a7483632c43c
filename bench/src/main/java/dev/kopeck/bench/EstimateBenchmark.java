package dev.kopeck.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Conversation;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.util.concurrent.TimeUnit;
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
 * The 1M-token context path: estimating a request of about a million tokens of natural text;
 * appending a 1K-token message to a 1M-token conversation and checking it still fits; and
 * {@code countUpTo} on an 8 MB text, whose cost should grow with the limit, not the text.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class EstimateBenchmark {
  /** The text and the limit of the countUpTo benchmark. */
  @State(Scope.Benchmark)
  public static class UpTo {
    @Param({"1000", "100000", "1000000"})
    public int limit;

    String eightMb;
    TokenCounter gemma3;

    @Setup
    public void setUp() {
      gemma3 = Tokenizers.require("gemma3");
      eightMb = BenchText.ofBytes("natural", 8 << 20);
      if (gemma3.count(eightMb) < limit) {
        throw new IllegalStateException("the text is shorter than the limit");
      }
    }
  }

  Estimator estimator;
  ChatRequest million;
  Conversation conversation;
  String thousand;
  TokenCounter gemma3;

  @Setup
  public void setUp() {
    estimator = Estimator.standard();
    gemma3 = Tokenizers.require("gemma3");
    String text = BenchText.ofBytes("natural", 3_500_000);
    ObjectNode r = new ObjectMapper().createObjectNode();
    r.put("model", "google/gemini-2.0-flash-001");
    r.put("max_tokens", 8192);
    r.putArray("messages").addObject().put("role", "user").put("content", text);
    million = ChatRequestParser.parse("bench", r.toString());
    conversation = estimator.conversation(million, null);
    String k = BenchText.ofBytes("natural", 5000);
    thousand = k.substring(0, k.length() * 1000 / Math.max(1, gemma3.count(k)));
  }

  /** A whole estimate of a request of about 1M input tokens (parsed already). */
  @Benchmark
  public Estimate estimateMillionTokenRequest() {
    return estimator.estimate(million);
  }

  /** Append a ~1K-token message to a ~1M-token conversation, check it fits, take it back. */
  @Benchmark
  public boolean appendThousandToMillionAndCheck() {
    boolean fits = conversation.append("user", thousand).fitsWithOutput(8192);
    conversation.removeLast();
    return fits;
  }

  /** countUpTo(limit) on 8 MB of text: grows with the limit, not with the text. */
  @Benchmark
  public int countUpToOnEightMegabytes(UpTo u) {
    return u.gemma3.countUpTo(u.eightMb, u.limit);
  }
}
