package dev.kopeck.gateway;

import static dev.kopeck.testkit.GuardedClientContract.ANSWER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.Scope;
import dev.kopeck.budget.ScopeStatus;
import dev.kopeck.budget.redis.RedisLedger;
import dev.kopeck.testkit.GuardedClientContract;
import java.io.File;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many gateways, one budget: two gateways, each with its own connections to Redis, take calls for
 * one key at once until its budget runs out; together they never pass the limit, and what they
 * spent is exactly the calls they let through. On the shared Redis at 127.0.0.1:6379, and on a
 * Redis Cluster of the test's own (three masters); each skipped, saying so, where it cannot run.
 */
class GatewaysOnRedisTest {
  static final Scope TEAM = Scope.of("team:race");
  static final long LIMIT = 200_000_000L; // 0.2 RUB: a call reserves about 0.06 and costs 0.027

  @TempDir Path dir;

  @Test
  void twoGatewaysOnOneRedisNeverPassTheLimit() throws Exception {
    boolean up;
    try (Socket s = new Socket("127.0.0.1", 6379)) {
      up = true;
    } catch (java.io.IOException e) {
      up = false;
    }
    Assumptions.assumeTrue(up, "skipped: no Redis at 127.0.0.1:6379");
    String prefix = "kopeck-gw-test-" + UUID.randomUUID();
    boolean pg;
    java.sql.DriverManager.setLoginTimeout(3);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG, "postgres", null)) {
      pg = c.isValid(3);
    } catch (Exception e) {
      pg = false;
    }
    int allowed = race(() -> RedisLedger.builder().url("redis://127.0.0.1:6379").prefix(prefix)
        .clock(GuardedClientContract.CLOCK).build(), pg);
    if (!pg) {
      System.err.println("GatewaysOnRedisTest: no PostgreSQL at 127.0.0.1:5432 (database test): the shared spend"
          + " log is not checked");
      return;
    }
    // both gateways wrote one spend log: a commit for every call let through, whichever gateway took it
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(PG, "postgres", null);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT request_id) FROM kopeck_spend_log"
            + " WHERE event = 'commit' AND request_id LIKE '" + TEAM.name() + "/" + run + "-%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(allowed);
      assertThat(rs.getInt(2)).isEqualTo(allowed);
    }
  }

  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  final String run = "race-" + UUID.randomUUID();

  @Test
  void twoGatewaysOnARedisClusterNeverPassTheLimit() throws Exception {
    String server = binary("redis-server");
    String cli = binary("redis-cli");
    Assumptions.assumeTrue(server != null && cli != null, "skipped: no redis-server and redis-cli to start a cluster");
    List<Process> nodes = new ArrayList<>();
    try {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // a free port may be taken again before the node binds it: then another one, up to three times
        for (int attempt = 1; ; attempt++) {
          int port;
          try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
          }
          Path own = Files.createDirectories(dir.resolve("redis-" + port));
          Process node = new ProcessBuilder(server, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save",
              "", "--appendonly", "no", "--dir", own.toString(), "--cluster-enabled", "yes", "--cluster-config-file",
              "nodes.conf").redirectErrorStream(true).redirectOutput(own.resolve("log").toFile()).start();
          nodes.add(node);
          String failed = awaitPort(port, node, own.resolve("log"));
          if (failed == null) {
            addresses.add("127.0.0.1:" + port);
            break;
          }
          node.destroy();
          if (attempt == 3) {
            throw new AssertionError(failed);
          }
        }
      }
      List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
      create.addAll(addresses);
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      Process p = new ProcessBuilder(create).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
      for (String a : addresses) { // until every node says the cluster is ok
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
          Process info = new ProcessBuilder(cli, "-p", a.substring(a.indexOf(':') + 1), "cluster", "info").start();
          String s = new String(info.getInputStream().readAllBytes());
          info.waitFor();
          if (s.contains("cluster_state:ok")) {
            break;
          }
          assertThat(System.nanoTime()).as("cluster_state:ok on " + a).isLessThan(until);
          Thread.sleep(100);
        }
      }
      String prefix = "kopeck-{gw-" + UUID.randomUUID() + "}";
      race(() -> RedisLedger.builder().cluster(addresses).prefix(prefix).clock(GuardedClientContract.CLOCK).build(),
          false);
    } finally {
      for (Process n : nodes) {
        n.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Two gateways, each on a ledger of its own from {@code ledgers} (and, with {@code spend}, a spend log
   * of its own into the one PostgreSQL), 60 calls from 16 threads; returns how many were let through.
   */
  private int race(Supplier<RedisLedger> ledgers, boolean spend) throws Exception {
    Path keys = dir.resolve("keys.json");
    Files.writeString(keys, "{\"keys\":[{\"key\":\"sk-race\",\"scope\":\"" + TEAM.name() + "\",\"limit\":\"0.2\","
        + "\"currency\":\"RUB\",\"period\":\"month\"}]}");
    try (Upstream upstream = new Upstream(); RedisLedger l1 = ledgers.get(); RedisLedger l2 = ledgers.get()) {
      upstream.always = Upstream.Answer.json(200, ANSWER);
      List<Gateway> gateways = new ArrayList<>();
      List<dev.kopeck.spend.SpendLog> logs = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        for (RedisLedger l : List.of(l1, l2)) {
          Gateway.Builder b = Gateway.builder(GuardedClientContract.guard(l)).listen("127.0.0.1", 0)
              .upstream(upstream.base()).upstreamKey("sk-real").keys(keys).log(s -> { });
          if (spend) {
            dev.kopeck.spend.SpendLog log = dev.kopeck.spend.SpendLog.builder(dir.resolve("journal-" + logs.size()),
                new dev.kopeck.spend.PostgresSpendSink(PG, "postgres", null)).build();
            logs.add(log);
            b.listener(log);
          }
          gateways.add(b.start());
        }
        HttpClient http = HttpClient.newHttpClient();
        ConcurrentHashMap<Integer, Integer> codes = new ConcurrentHashMap<>();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          URI url = URI.create(gateways.get(i % 2).baseUrl() + "/chat/completions");
          String id = run + "-" + i;
          fs.add(pool.submit(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).header("Authorization", "Bearer sk-race")
                .header("Idempotency-Key", id)
                .POST(HttpRequest.BodyPublishers.ofString(GuardedClientContract.chat(1000, false))).build(),
                HttpResponse.BodyHandlers.ofString());
            codes.merge(r.statusCode(), 1, Integer::sum);
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get(1, TimeUnit.MINUTES);
        }
        assertThat(codes.keySet()).containsOnly(200, 402);
        ScopeStatus s = l1.status(TEAM);
        assertThat(s.spentNanos()).isLessThanOrEqualTo(LIMIT);
        assertThat(s.spentNanos()).isEqualTo(27_000_000L * codes.get(200));
        assertThat(s.reservedNanos()).isZero();
        assertThat(upstream.seen).hasSize(codes.get(200)); // a refusal never went upstream
        assertThat(codes.get(200)).isPositive();
        for (dev.kopeck.spend.SpendLog log : logs) {
          assertThat(log.flush(java.time.Duration.ofSeconds(20))).isTrue();
        }
        return codes.get(200);
      } finally {
        pool.shutdownNow();
        for (Gateway g : gateways) {
          g.close();
        }
        for (dev.kopeck.spend.SpendLog log : logs) {
          log.close();
        }
        l1.deleteAll();
      }
    }
  }

  /** Null once the node answers on its port; else why not, with its log (it exited, or 20 s passed). */
  private static String awaitPort(int port, Process node, Path log) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < until && node.isAlive()) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return null;
      } catch (java.io.IOException notYet) {
        Thread.sleep(20);
      }
    }
    String said;
    try {
      said = Files.readString(log);
    } catch (java.io.IOException e) {
      said = "(no log: " + e + ")";
    }
    return "redis-server on " + port + (node.isAlive() ? " did not answer in 20 s" : " exited " + node.exitValue())
        + "; its log: " + said;
  }

  private static String binary(String name) {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
