package dev.kopeck.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The tests' own upstream: a real HTTP server on loopback (the JDK's) answering as an
 * OpenAI-compatible API does, from the answers queued, and keeping every request it got.
 */
final class Upstream implements AutoCloseable {
  /** A request as the upstream received it. */
  record Seen(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /**
   * An answer: {@code status}, {@code type}, and the body in parts; with {@code gate} set, the parts
   * after the first wait for it to open (a stream the test reads part by part).
   */
  record Answer(int status, String type, List<String> parts, CountDownLatch gate) {
    static Answer json(int status, String body) {
      return new Answer(status, "application/json", List.of(body), null);
    }

    static Answer sse(String body) {
      return new Answer(200, "text/event-stream", List.of(body), null);
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Answer> queued = new ConcurrentLinkedQueue<>();
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  volatile Answer always;

  Upstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-upstream");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL the gateway is given: {@code http://127.0.0.1:PORT/api/v1}. */
  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1");
  }

  void enqueue(Answer a) {
    queued.add(a);
  }

  private void handle(HttpExchange x) throws IOException {
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().getRawPath()
        + (x.getRequestURI().getRawQuery() == null ? "" : "?" + x.getRequestURI().getRawQuery()),
        Map.copyOf(x.getRequestHeaders()), body));
    Answer a = queued.poll();
    if (a == null) {
      a = always;
    }
    if (a == null) {
      a = Answer.json(500, "{\"error\":{\"message\":\"the test queued no answer\"}}");
    }
    x.getResponseHeaders().set("Content-Type", a.type());
    boolean streamed = a.type().startsWith("text/event-stream");
    byte[] whole = String.join("", a.parts()).getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(a.status(), streamed ? 0 : whole.length);
    try (OutputStream out = x.getResponseBody()) {
      if (!streamed) {
        out.write(whole);
        return;
      }
      boolean first = true;
      for (String p : a.parts()) {
        if (!first && a.gate() != null) {
          try {
            if (!a.gate().await(10, TimeUnit.SECONDS)) {
              return; // the test never opened the gate: the stream is cut
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        first = false;
        out.write(p.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
