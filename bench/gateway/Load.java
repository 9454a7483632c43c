// The load benchmark's client (the JDK's HttpClient, no dependency): the latency a proxy adds, as the
// same calls made directly to the upstream and through the proxy, interleaved in one run.
//   java bench/gateway/Load.java DIRECT_BASE VIA_BASE[,VIA_BASE...] KEY PLAIN CONCURRENCY STREAMS
// PLAIN plain chat calls each way (CONCURRENCY at a time, shuffled together), after a warm-up of as
// many; then STREAMS streams at once through the proxies, and STREAMS at once directly. Prints the
// percentiles of each side and their difference, in milliseconds.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

public class Load {
  static final String BODY = "{\"model\":\"google/gemini-2.0-flash-001\",\"max_tokens\":100,\"messages\":[{\"role\":"
      + "\"system\",\"content\":\"You are a helpful assistant who answers briefly.\"},{\"role\":\"user\",\"content\":"
      + "\"Say hello in three words, and then tell me what a kopeck is.\"}]}";
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .executor(Executors.newFixedThreadPool(8)).build();

  record Call(boolean via, URI uri) {}

  public static void main(String[] args) throws Exception {
    String direct = args[0];
    String[] via = args[1].split(",");
    String key = args[2];
    int plain = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    int streams = Integer.parseInt(args[5]);
    AtomicInteger errors = new AtomicInteger();
    System.out.println("warm-up: " + plain + " calls each way");
    run(calls(direct, via, plain, new Random(1)), key, concurrency, errors);
    long[][] t = run(calls(direct, via, plain, new Random(2)), key, concurrency, errors);
    report("plain calls, " + plain + " each way, " + concurrency + " at a time", t[0], t[1]);
    long[][] s = new long[2][];
    long[][] first = new long[2][];
    for (int side = 1; side >= 0; side--) {
      long[][] r = streams(side == 1 ? via : new String[] {direct}, key, streams, errors);
      s[side] = r[0];
      first[side] = r[1];
    }
    report(streams + " streams at once, whole stream", s[0], s[1]);
    report(streams + " streams at once, first chunk", first[0], first[1]);
    System.out.println("errors: " + errors.get());
    System.exit(0); // the client's threads would keep the JVM up
  }

  static List<Call> calls(String direct, String[] via, int n, Random r) {
    List<Call> c = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      c.add(new Call(false, URI.create(direct + "/chat/completions")));
      c.add(new Call(true, URI.create(via[i % via.length] + "/chat/completions")));
    }
    Collections.shuffle(c, r);
    return c;
  }

  /** Nanoseconds of each call: [0] direct, [1] through the proxy. */
  static long[][] run(List<Call> calls, String key, int concurrency, AtomicInteger errors) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<long[]>> fs = new ArrayList<>();
    for (Call c : calls) {
      fs.add(pool.submit(() -> {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(c.uri()).header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        long t = System.nanoTime() - t0;
        if (r.statusCode() != 200) {
          errors.incrementAndGet();
        }
        return new long[] {c.via() ? 1 : 0, t};
      }));
    }
    long[] d = new long[calls.size()];
    long[] v = new long[calls.size()];
    int nd = 0;
    int nv = 0;
    for (Future<long[]> f : fs) {
      long[] x = f.get();
      if (x[0] == 1) {
        v[nv++] = x[1];
      } else {
        d[nd++] = x[1];
      }
    }
    pool.shutdown();
    return new long[][] {Arrays.copyOf(d, nd), Arrays.copyOf(v, nv)};
  }

  /** {@code n} streams at once: [0] whole stream, [1] first chunk, in nanoseconds. */
  static long[][] streams(String[] bases, String key, int n, AtomicInteger errors) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<long[]>> fs = new ArrayList<>();
    String body = BODY.replace("{\"model\"", "{\"stream\":true,\"model\"");
    for (int i = 0; i < n; i++) {
      URI uri = URI.create(bases[i % bases.length] + "/chat/completions");
      fs.add(pool.submit(() -> {
        go.await();
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        long first = -1;
        byte[] buf = new byte[8192];
        int got;
        StringBuilder all = new StringBuilder();
        try (InputStream in = r.body()) {
          while ((got = in.read(buf)) != -1) {
            if (first < 0) {
              first = System.nanoTime() - t0;
            }
            all.append(new String(buf, 0, got, java.nio.charset.StandardCharsets.UTF_8));
          }
        }
        if (r.statusCode() != 200 || all.indexOf("[DONE]") < 0) {
          errors.incrementAndGet();
        }
        return new long[] {System.nanoTime() - t0, first};
      }));
    }
    go.countDown();
    long[] whole = new long[n];
    long[] first = new long[n];
    for (int i = 0; i < n; i++) {
      long[] x = fs.get(i).get();
      whole[i] = x[0];
      first[i] = x[1];
    }
    pool.shutdown();
    return new long[][] {whole, first};
  }

  static double pct(long[] a, double p) {
    long[] s = a.clone();
    Arrays.sort(s);
    return s[(int) Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)] / 1e6;
  }

  static void report(String what, long[] direct, long[] via) {
    System.out.printf("%s%n  direct  p50 %8.3f ms  p99 %8.3f ms%n  via     p50 %8.3f ms  p99 %8.3f ms%n"
        + "  added   p50 %8.3f ms  p99 %8.3f ms%n", what, pct(direct, 50), pct(direct, 99), pct(via, 50),
        pct(via, 99), pct(via, 50) - pct(direct, 50), pct(via, 99) - pct(direct, 99));
  }
}
