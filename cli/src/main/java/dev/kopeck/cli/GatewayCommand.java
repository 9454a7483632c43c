package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.redis.RedisLedger;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.gateway.Gateway;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.opentelemetry.KopeckTelemetry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import dev.kopeck.core.reconcile.Reconciler;
import dev.kopeck.spend.JsonlSpendSink;
import dev.kopeck.spend.PostgresSpendSink;
import dev.kopeck.spend.SpendLog;
import dev.kopeck.spend.SpendSink;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {"Runs the budget gateway: an OpenAI-compatible proxy that charges every chat completion and"
        + " Responses call to the budget of its virtual key (docs/gateway.md).",
      "Services call http://HOST:PORT/v1 with a key of KEYS.json as their API key; the upstream gets the real key"
        + " from $OPENAI_API_KEY (or --upstream-key-env). The keys file is read again when it changes and on SIGHUP."})
final class GatewayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", required = true, description = "Where to listen (127.0.0.1:8080).")
  String listen;

  @Option(names = "--upstream", paramLabel = "URL", required = true,
      description = "The upstream's base URL, as its SDK takes it (https://api.openai.com/v1).")
  String upstream;

  @Option(names = "--keys", paramLabel = "KEYS.json", required = true, description = "The virtual keys and their budgets.")
  Path keys;

  @Option(names = "--upstream-key-env", paramLabel = "NAME", defaultValue = "OPENAI_API_KEY",
      description = "The environment variable holding the upstream's real key (default ${DEFAULT-VALUE}).")
  String keyEnv;

  @Option(names = "--redis", paramLabel = "URL",
      description = "Keep the budgets in Redis (redis://HOST:PORT), shared by every gateway on it; default: in memory.")
  String redis;

  @Option(names = "--prefix", paramLabel = "P", defaultValue = "kopeck",
      description = "The Redis key prefix (default ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--spend-log", paramLabel = "DIR|postgresql://…",
      description = "Keep every call's record: DIR/spend.jsonl, or PostgreSQL (postgresql://USER[:PASSWORD]@HOST[:PORT]/DB).")
  String spendLog;

  @Option(names = "--spend-journal", paramLabel = "DIR",
      description = "The spend log's journal on local disk, for --spend-log postgresql://… (default: kopeck-journal-PORT"
          + " in the working folder).")
  Path journal;

  @Option(names = "--otel", description = "Also record every call as OpenTelemetry spans and metrics (GenAI"
      + " conventions) through the global OpenTelemetry: the Java agent's, when java runs with -javaagent.")
  boolean otel;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    int colon = listen.lastIndexOf(':');
    int port;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (colon <= 0 || port < 0 || port > 65535) {
      throw new InputException(null, "--listen", "expected HOST:PORT (127.0.0.1:8080), not \"" + listen + "\"");
    }
    String host = listen.substring(0, colon).replaceAll("^\\[(.*)]$", "$1");
    String key = System.getenv(keyEnv);
    if (key == null || key.isBlank()) {
      throw new InputException(null, "$" + keyEnv, "not set: the gateway needs the upstream's real API key there");
    }
    URI up;
    try {
      up = URI.create(upstream);
    } catch (IllegalArgumentException e) {
      throw new InputException(null, "--upstream", "not a URL: " + e.getMessage());
    }
    BudgetLedger ledger;
    if (redis == null) {
      ledger = InMemoryLedger.builder().build();
    } else {
      try {
        ledger = RedisLedger.builder().url(redis).prefix(prefix).build();
      } catch (IllegalArgumentException e) {
        throw new InputException(null, "--redis", e.getMessage());
      }
    }
    Estimator estimator = Estimator.standard();
    BudgetGuard guard = new BudgetGuard(estimator, Reconciler.builder().estimator(estimator).build(), ledger,
        Clock.systemUTC());
    Gateway.Builder b;
    try {
      b = Gateway.builder(guard).listen(host, port).upstream(up).upstreamKey(key).keys(keys);
    } catch (IllegalArgumentException e) {
      throw new InputException(null, "--upstream", e.getMessage());
    }
    if (otel) {
      b.listener(new KopeckTelemetry(GlobalOpenTelemetry.get()));
    }
    SpendLog log = spendLog == null ? null : spendLog(port);
    if (log != null) {
      b.listener(log);
    }
    Gateway gateway;
    try {
      gateway = b.start();
    } catch (IllegalStateException e) {
      if (log != null) {
        log.close();
      }
      throw new InputException(null, "--listen", e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gateway.close();
        if (log != null) {
          log.close(Duration.ofSeconds(10));
        }
      } catch (Exception e) {
        System.err.println("kopeck gateway: while stopping: " + e);
      } finally {
        stopped.countDown();
      }
    }, "kopeck-gateway-stop"));
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> gateway.reloadKeys(" (SIGHUP)"));
    } catch (IllegalArgumentException noSighup) {
      // not on this platform: the file is still watched
    }
    out.println("kopeck gateway: listening on " + gateway.baseUrl() + ", upstream " + up + ", "
        + (redis == null ? "budgets in memory" : "budgets in Redis (prefix " + prefix + ")")
        + (log == null ? "" : ", spend log " + SpendSource.redact(spendLog)));
    out.flush();
    stopped.await();
    return Main.OK;
  }

  private SpendLog spendLog(int port) {
    SpendSink sink;
    Path dir;
    if (spendLog.startsWith("postgres")) {
      String[] j = SpendSource.jdbc(spendLog);
      sink = new PostgresSpendSink(j[0], j[1], j[2]); // the log migrates it, and waits for it when it is down
      dir = journal != null ? journal : Path.of("kopeck-journal-" + port);
    } else {
      dir = Path.of(spendLog);
      sink = new JsonlSpendSink(dir.resolve("spend.jsonl"));
    }
    try {
      return SpendLog.builder(dir, sink).build();
    } catch (RuntimeException e) {
      throw new InputException(dir.toString(), "--spend-log", e.getMessage());
    }
  }
}
