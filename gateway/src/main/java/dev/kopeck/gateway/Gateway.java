package dev.kopeck.gateway;

import dev.kopeck.base.InputException;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.GuardListener;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An OpenAI-compatible reverse proxy with a budget around every chat completion and Responses call,
 * for services in any language: they call the gateway at {@code http://HOST:PORT/v1} with a virtual
 * key as their API key, and the gateway calls the upstream with the real one.
 *
 * <pre>{@code
 * Gateway g = Gateway.builder(guard).listen("127.0.0.1", 8080)
 *     .upstream(URI.create("https://api.openai.com/v1")).upstreamKey(System.getenv("OPENAI_API_KEY"))
 *     .keys(Path.of("keys.json")).start();
 * }</pre>
 *
 * <p>{@code POST /v1/chat/completions} and {@code POST /v1/responses} go through the guard (estimate,
 * reserve, ask a stream for its usage, commit what the answer reports or release on an error); a
 * refusal is HTTP 402 in OpenAI's error format and never reaches upstream, a missing or unknown key
 * 401. Other {@code /v1/…} calls pass through with the real key. {@code GET /metrics} answers the
 * {@code kopeck.*} meters in Prometheus' text format, {@code GET /healthz} 200. docs/gateway.md has
 * the whole behaviour.
 */
public final class Gateway implements AutoCloseable {
  private final Server server;
  private final HttpClient client;
  private final Proxy proxy;
  private final Path keysFile;
  private final Consumer<String> log;
  private final ScheduledExecutorService watcher;
  private FileTime seenTime;
  private long seenSize = -1;

  private Gateway(Builder b, KeyRing first) throws Exception {
    this.keysFile = b.keys;
    this.log = b.log;
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    client = new HttpClient();
    client.setFollowRedirects(false);
    client.setUserAgentField(null); // the caller's own User-Agent is passed on
    client.getContentDecoderFactories().clear(); // bodies pass as they come; guarded calls ask for identity
    client.setMaxConnectionsPerDestination(b.maxConnections);
    client.setIdleTimeout(b.upstreamIdleTimeout.toMillis());
    QueuedThreadPool clientThreads = new QueuedThreadPool(64, 4);
    clientThreads.setName("kopeck-gateway-upstream");
    clientThreads.setDaemon(true);
    client.setExecutor(clientThreads);
    client.start();
    proxy = new Proxy(b.guard, b.listeners, registry, client, b.upstream, b.upstreamKey, b.upstreamIdleTimeout, first);
    QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads, 8);
    threads.setName("kopeck-gateway");
    server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(b.host);
    connector.setPort(b.port);
    server.addConnector(connector);
    server.setHandler(proxy);
    server.setStopTimeout(2000);
    try {
      server.start();
    } catch (Exception e) {
      client.stop();
      throw e;
    }
    remember();
    watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kopeck-gateway-keys");
      t.setDaemon(true);
      return t;
    });
    long every = b.keysPoll.toMillis();
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
  }

  /** Starts configuring a gateway around {@code guard}: its estimator, tariffs, ledger and clock. */
  public static Builder builder(BudgetGuard guard) {
    return new Builder(guard);
  }

  /** The port the gateway listens on (the one chosen when 0 was asked). */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** The base URL a client gives its SDK: {@code http://HOST:PORT/v1}. */
  public URI baseUrl() {
    ServerConnector c = (ServerConnector) server.getConnectors()[0];
    String host = c.getHost() == null || c.getHost().isEmpty() ? "127.0.0.1" : c.getHost();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/v1");
  }

  /**
   * Reads the keys file again and, when it is good, puts it in force: the limits of its scopes are
   * set on the ledger, and its keys answer from the next call on. A bad file changes nothing.
   *
   * @return the number of keys in force
   * @throws InputException naming the file and the JSON path of what was wrong
   */
  public synchronized int reloadKeys() {
    remember();
    KeyRing ring = KeyRing.read(keysFile);
    proxy.keys(ring);
    return ring.size();
  }

  private synchronized void reloadIfChanged() {
    try {
      FileTime t = Files.getLastModifiedTime(keysFile);
      long size = Files.size(keysFile);
      if (t.equals(seenTime) && size == seenSize) {
        return;
      }
    } catch (java.io.IOException e) { // gone or unreadable: said once, by the reload
      if (seenTime == null) {
        return;
      }
    }
    reloadKeys("");
  }

  /**
   * {@link #reloadKeys()}, told to the gateway's log rather than thrown: how many keys are in force,
   * or what was wrong with the file (its name and JSON path) and that the keys in force stay.
   *
   * @param why what asked for it, added to the log line (" (SIGHUP)"), or ""
   */
  public synchronized void reloadKeys(String why) {
    try {
      int n = reloadKeys();
      log.accept("kopeck gateway: " + keysFile + ": " + keysInForce(n) + why);
    } catch (InputException e) {
      log.accept("kopeck gateway: " + e.getMessage() + " (the keys in force stay)" + why);
    } catch (RuntimeException e) { // the ledger refused a limit: a store down, say
      log.accept("kopeck gateway: " + keysFile + ": not put in force: " + e.getMessage() + " (the keys in force stay)"
          + why);
    }
  }

  /** "1 key in force", "3 keys in force". */
  static String keysInForce(int n) {
    return n + (n == 1 ? " key" : " keys") + " in force";
  }

  private void remember() {
    try {
      seenTime = Files.getLastModifiedTime(keysFile);
      seenSize = Files.size(keysFile);
    } catch (java.io.IOException e) {
      seenTime = null;
      seenSize = -1;
    }
  }

  /**
   * Stops listening and closes the upstream client. Calls under way are cut: one still waiting for
   * the upstream is released, a stream is committed from what had passed.
   */
  @Override
  public void close() throws Exception {
    watcher.shutdownNow();
    try {
      server.stop();
    } finally {
      client.stop();
    }
  }

  /** How a gateway is made; each setting checked as it is given. */
  public static final class Builder {
    private final BudgetGuard guard;
    private String host = "127.0.0.1";
    private int port = 8080;
    private URI upstream;
    private String upstreamKey;
    private Path keys;
    private final List<GuardListener> listeners = new ArrayList<>();
    private Duration keysPoll = Duration.ofSeconds(1);
    private Duration upstreamIdleTimeout = Duration.ofMinutes(5);
    private int maxThreads = 1000;
    private int maxConnections = 1000;
    private Consumer<String> log = s -> System.err.println(s);

    private Builder(BudgetGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** The address to listen on (default 127.0.0.1:8080); port 0 takes a free one. */
    public Builder listen(String host, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("a port is 0 to 65535, not " + port);
      }
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /**
     * The upstream's base URL, as its own SDK takes it: {@code https://api.openai.com/v1},
     * {@code https://routerai.ru/api/v1}. A call to the gateway's {@code /v1/X} goes to {@code BASE/X}.
     */
    public Builder upstream(URI base) {
      Objects.requireNonNull(base, "upstream");
      String s = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
      if (!(s.equals("http") || s.equals("https")) || base.getHost() == null) {
        throw new IllegalArgumentException("the upstream must be an http or https URL, not \"" + base + "\"");
      }
      if (base.getRawQuery() != null || base.getRawFragment() != null) {
        throw new IllegalArgumentException("the upstream's URL takes no query or fragment: \"" + base + "\"");
      }
      String u = base.toString();
      this.upstream = URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
      return this;
    }

    /** The real API key, sent upstream as {@code Authorization: Bearer KEY}; callers never see it. */
    public Builder upstreamKey(String key) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("the upstream key is missing or blank");
      }
      this.upstreamKey = key;
      return this;
    }

    /** The keys file: read at start, and again when it changes (checked every {@link #keysPoll}). */
    public Builder keys(Path file) {
      this.keys = Objects.requireNonNull(file, "keys");
      return this;
    }

    /** How often the keys file is checked for a change (default 1 s). */
    public Builder keysPoll(Duration every) {
      if (every.isNegative() || every.isZero()) {
        throw new IllegalArgumentException("the keys file's poll interval must be positive: " + every);
      }
      this.keysPoll = every;
      return this;
    }

    /** How long the upstream may be silent, before its answer or within a stream, before the call fails (default 5 min). */
    public Builder upstreamIdleTimeout(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("the upstream idle timeout must be positive: " + d);
      }
      this.upstreamIdleTimeout = d;
      return this;
    }

    /** Calls served at once (default 1,000 threads; a stream holds one for its length). */
    public Builder maxThreads(int n) {
      if (n < 16) {
        throw new IllegalArgumentException("at least 16 threads, not " + n);
      }
      this.maxThreads = n;
      this.maxConnections = n;
      return this;
    }

    /** Also tells {@code l} of every call (a spend log, OpenTelemetry); the metrics are the gateway's own. */
    public Builder listener(GuardListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /** Where the gateway says what it did with the keys file (default: standard error). */
    public Builder log(Consumer<String> log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * Reads the keys file, sets its limits on the guard's ledger, and starts listening.
     *
     * @throws InputException when the keys file is bad (its name and JSON path)
     * @throws IllegalStateException when the upstream, its key or the keys file was not given, or the
     *     address cannot be listened on
     */
    public Gateway start() {
      if (upstream == null || upstreamKey == null || keys == null) {
        throw new IllegalStateException("a gateway needs its upstream, the upstream's key and a keys file");
      }
      KeyRing first = KeyRing.read(keys);
      try {
        return new Gateway(this, first);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot listen on " + new InetSocketAddress(host, port) + ": " + e.getMessage(),
            e);
      } catch (Exception e) {
        throw new IllegalStateException("the gateway did not start: " + e, e);
      }
    }
  }

  /** The scopes of the keys in force, for tests. */
  Map<Scope, KeyRing.Entry> scopes() {
    return proxy.ring().scopes();
  }
}
