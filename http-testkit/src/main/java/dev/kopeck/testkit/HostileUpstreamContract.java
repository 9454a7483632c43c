package dev.kopeck.testkit;

import static dev.kopeck.testkit.GuardedClientContract.CLOCK;
import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static dev.kopeck.testkit.GuardedClientContract.TEAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.guard.GuardListener;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile upstream behind the integration: a socket server of the test's own on loopback that
 * generates what it sends as it sends it (nothing is held whole, on either side), so an endless
 * stream, a 300 MB line or a 600 MB body cost the test no memory of their size. Each case asserts
 * that the reservation was settled (committed or released, nothing left reserved) and that the
 * guard's memory stayed bounded: the cases run in a heap of at most {@link #HEAP_BOUND} (the modules'
 * surefire runs them with {@code -Xmx128m}), where a guard that held what passed fails with an
 * OutOfMemoryError, and what is left in the heap after a case and a collection stays under
 * {@link #RETAINED_BOUND}. Times and heap peaks (the sum of the pools' peaks, garbage included) are
 * printed per case ({@code hostile: CASE ...}).
 */
public abstract class HostileUpstreamContract {
  /** The largest heap the cases run in: the tests run with -Xmx128m. */
  public static final long HEAP_BOUND = 128L << 20;

  /** The most a case may leave in the heap after it, collected. */
  public static final long RETAINED_BOUND = 64L << 20;

  /** An answer as read: the status, the bytes read, and its first bytes. */
  public record Read(int code, long bytes, String head) {}

  /** A client with the integration in its path. */
  public interface Client {
    /**
     * POSTs {@code body} to {@code url} and reads the answer's body as a stream, at most {@code limit}
     * bytes (all when -1), counting and dropping them, then closes it. A transport error is thrown.
     */
    Read post(String url, String body, long limit) throws IOException;
  }

  /** Builds the client under test, charging {@code TEAM} through {@code guard}, giving up on a read after {@code readTimeout}. */
  protected abstract Client client(BudgetGuard guard, Duration readTimeout);

  /** What the upstream writes after it has read the request. */
  interface Script {
    void write(OutputStream out) throws IOException, InterruptedException;
  }

  private ServerSocket server;
  private Thread acceptor;
  private volatile Script script;
  protected InMemoryLedger ledger;
  protected final List<Charge> charges = new CopyOnWriteArrayList<>();
  protected final List<String> ends = new CopyOnWriteArrayList<>();

  @BeforeEach
  void up() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() <= HEAP_BOUND,
        "the hostile-upstream cases run in a JVM of their own with -Xmx128m (surefire execution hostile-upstream)");
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "hostile-upstream");
    acceptor.setDaemon(true);
    acceptor.start();
    ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 10_000_000_000L, BudgetPeriod.MONTH); // 10 RUB
  }

  @AfterEach
  void down() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread t = new Thread(() -> answer(s), "hostile-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void answer(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      long length = readHead(in);
      for (long i = 0; i < length; i++) {
        if (in.read() < 0) {
          return;
        }
      }
      OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      script.write(out);
      out.flush();
    } catch (IOException | InterruptedException caller) {
      // the client went away: as it may
    }
  }

  /** Reads the request's head; returns its Content-Length. */
  private static long readHead(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    long length = 0;
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String l = line.toString().trim();
        if (l.isEmpty()) {
          return length;
        }
        if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(l.substring(15).trim());
        }
        line.setLength(0);
      } else {
        line.append((char) c);
      }
    }
    return length;
  }

  private BudgetGuard guard() {
    return GuardedClientContract.guard(ledger).withListener(new GuardListener() {
      @Override
      public void admitted(Admission.Reservation r, ChatRequest request) {
        ends.add("reserved " + r.amountNanos());
      }

      @Override
      public void committed(Charge c, boolean estimated) {
        charges.add(c);
        ends.add("committed" + (estimated ? " estimated" : ""));
      }

      @Override
      public void released(String id, String why) {
        ends.add("released");
      }

      @Override
      public void commitFailed(String id, RuntimeException e) {
        ends.add("commitFailed " + e.getMessage());
      }
    });
  }

  protected String url() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/api/v1/chat/completions";
  }

  static final byte[] SSE_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII);

  static byte[] jsonHead(long length) {
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  static final byte[] CHUNK = ("data: {\"id\":\"gen-h\",\"object\":\"chat.completion.chunk\",\"model\":\"" + MODEL
      + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there, my friend. \"}}]}\n\n")
      .getBytes(StandardCharsets.UTF_8);

  static final byte[] USAGE = ("data: {\"id\":\"gen-h\",\"object\":\"chat.completion.chunk\",\"model\":\"" + MODEL
      + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100,\"total_tokens\":1100}}\n\n"
      + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8);

  /** {@code n} bytes of {@code x}, written a piece at a time. */
  static void repeat(OutputStream out, long n) throws IOException {
    byte[] piece = new byte[1 << 16];
    java.util.Arrays.fill(piece, (byte) 'x');
    for (long left = n; left > 0; left -= piece.length) {
      out.write(piece, 0, (int) Math.min(piece.length, left));
    }
  }

  /** Runs a case: its time and heap peak measured, and the reservation settled at the end. */
  private Read run(String name, Duration timeout, long limit, Script s) throws Exception {
    script = s;
    Client client = client(guard(), timeout);
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    System.gc();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long t0 = System.nanoTime();
    Read r = null;
    IOException failure = null;
    try {
      r = client.post(url(), GuardedClientContract.chat(100, true).replace(",\"stream\":true", streamFlag), limit);
    } catch (IOException e) {
      failure = e;
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    System.gc();
    long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.printf(Locale.ROOT, "hostile: %s (%s): %d ms, heap peak %d MB (max %d MB), left %d MB, %s, %s%n", name,
        getClass().getSimpleName(), ms, peak >> 20, Runtime.getRuntime().maxMemory() >> 20, retained >> 20, r == null ? "failed: " + failure : r.bytes() + " bytes read", ends);
    assertThat(Runtime.getRuntime().maxMemory()).as("the heap the cases run in (-Xmx128m)")
        .isLessThanOrEqualTo(HEAP_BOUND);
    assertThat(retained).as("heap left after " + name).isLessThan(RETAINED_BOUND);
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (ledger.status(TEAM).reservedNanos() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(10); // an asynchronous client settles on its own thread
    }
    assertThat(ledger.status(TEAM).reservedNanos()).as("reserved after " + name).isZero();
    assertThat(ends).as("how " + name + " ended").hasSize(2);
    lastFailure = failure;
    return r;
  }

  private String streamFlag = ",\"stream\":true";
  protected IOException lastFailure;

  private long reserved() {
    return Long.parseLong(ends.get(0).substring("reserved ".length()));
  }

  /** An endless stream, read for 64 MB and closed: committed from the text counted, never past max_tokens. */
  @Test
  void anEndlessStream() throws Exception {
    Read r = run("endless stream", Duration.ofSeconds(10), 64L << 20, out -> {
      out.write(SSE_HEAD);
      while (true) {
        out.write(CHUNK);
      }
    });
    assertThat(r.bytes()).isEqualTo(64L << 20);
    assertThat(ends.get(1)).isEqualTo("committed estimated");
    assertThat(charges.get(0).reconciliation().usage().outputTokens()).isEqualTo(100); // max_tokens
    assertThat(charges.get(0).commit().actualNanos()).isLessThanOrEqualTo(reserved());
  }

  /** A 16 MB line (passed on unread), then the usage: committed from the usage. */
  @Test
  void aSixteenMegabyteLine() throws Exception {
    Read r = run("16 MB line", Duration.ofSeconds(10), -1, out -> {
      out.write(SSE_HEAD);
      out.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"".getBytes(StandardCharsets.US_ASCII));
      repeat(out, 16L << 20);
      out.write("\"}}]}\n\n".getBytes(StandardCharsets.US_ASCII));
      out.write(USAGE);
    });
    assertThat(r.bytes()).isGreaterThan(16L << 20);
    assertThat(ends.get(1)).isEqualTo("committed");
    assertThat(charges.get(0).reconciliation().usage().outputTokens()).isEqualTo(100);
  }

  /** A 300 MB line and no usage: the reserved worst case is committed, nothing more. */
  @Test
  void aThreeHundredMegabyteLine() throws Exception {
    Read r = run("300 MB line", Duration.ofSeconds(10), -1, out -> {
      out.write(SSE_HEAD);
      out.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"".getBytes(StandardCharsets.US_ASCII));
      repeat(out, 300L << 20);
      out.write("\"}}]}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
    });
    assertThat(r.bytes()).isGreaterThan(300L << 20);
    assertThat(ends.get(1)).isEqualTo("committed estimated");
    assertThat(charges.get(0).reconciliation().usage().outputTokens()).isEqualTo(100);
    assertThat(charges.get(0).commit().actualNanos()).isLessThanOrEqualTo(reserved());
  }

  /** A 600 MB plain answer: passed on as it arrives; past the kept 16 MiB, the worst case is committed. */
  @Test
  void aSixHundredMegabyteBody() throws Exception {
    streamFlag = "";
    long size = 600L << 20;
    byte[] start = ("{\"id\":\"gen-h\",\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
        + "\"assistant\",\"content\":\"").getBytes(StandardCharsets.US_ASCII);
    byte[] end = "\"}}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100,\"total_tokens\":1100}}"
        .getBytes(StandardCharsets.US_ASCII);
    Read r = run("600 MB body", Duration.ofSeconds(10), -1, out -> {
      out.write(jsonHead(start.length + size + end.length));
      out.write(start);
      repeat(out, size);
      out.write(end);
    });
    assertThat(r.bytes()).isEqualTo(start.length + size + end.length);
    assertThat(ends.get(1)).isEqualTo("committed estimated");
    assertThat(charges.get(0).commit().actualNanos()).isLessThanOrEqualTo(reserved());
  }

  /**
   * A plain answer dripped a byte every 200 ms (it would take 60 s): the caller has the bytes as they
   * come, reads ten and closes; the call is settled then, not when the upstream is done.
   */
  @Test
  void aDrippingBody() throws Exception {
    streamFlag = "";
    long t0 = System.nanoTime();
    Read r = run("dripping body", Duration.ofSeconds(10), 10, out -> {
      out.write(jsonHead(300));
      out.flush();
      for (int i = 0; i < 300; i++) {
        out.write('{');
        out.flush();
        Thread.sleep(200);
      }
    });
    assertThat(r.bytes()).isEqualTo(10);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertThat(ends.get(1)).isEqualTo("committed estimated"); // not read whole: its worst case
  }

  /** Usage with a negative count, one of 10^15, and none: the answer's own text is counted, within max_tokens. */
  @Test
  void negativeHugeAndMissingUsage() throws Exception {
    streamFlag = "";
    String[] usages = {",\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":-7,\"total_tokens\":-12}",
        ",\"usage\":{\"prompt_tokens\":1000000000000000,\"completion_tokens\":1000000000000000,"
            + "\"total_tokens\":2000000000000000}", ""};
    for (String usage : usages) {
      byte[] body = ("{\"id\":\"gen-h\",\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
          + "\"assistant\",\"content\":\"Hello there, my good friend, how are you today?\"}}]" + usage + "}")
          .getBytes(StandardCharsets.UTF_8);
      ends.clear();
      charges.clear();
      Read r = run("usage " + (usage.isEmpty() ? "missing" : usage.contains("-5") ? "negative" : "10^15"),
          Duration.ofSeconds(10), -1, out -> {
            out.write(jsonHead(body.length));
            out.write(body);
          });
      assertThat(r.bytes()).isEqualTo(body.length);
      assertThat(ends.get(1)).isEqualTo("committed estimated");
      long output = charges.get(0).reconciliation().usage().outputTokens();
      assertThat(output).as("the answer's text, counted").isBetween(5L, 100L);
    }
  }

  /** The connection dropped mid-stream: the text that came is committed, the read fails for the caller. */
  @Test
  void aDroppedConnection() throws Exception {
    Read r = run("dropped connection", Duration.ofSeconds(10), -1, out -> {
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 10000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII)); // promised, never sent: the end is a failure
      for (int i = 0; i < 100; i++) {
        out.write(CHUNK);
      }
      out.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      throw new IOException("dropped"); // the socket closes mid-line
    });
    assertThat(ends.get(1)).isEqualTo("committed estimated");
    long output = charges.get(0).reconciliation().usage().outputTokens();
    assertThat(output).isBetween(1L, 100L);
  }
}
