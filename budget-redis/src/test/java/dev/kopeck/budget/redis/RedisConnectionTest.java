package dev.kopeck.budget.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.BudgetUnavailableException;
import dev.kopeck.budget.Scope;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Issue 20 #11, #12, #16 and the fault cases: every way of reaching Redis and every way it fails,
 * each on a real redis-server this test starts (passwords, ACL users, a second database, TLS with a
 * certificate made here, a replica, a full server, a slow one, one that never answers, Sentinel).
 */
class RedisConnectionTest {
  static final Scope TEAM = Scope.of("team:ml");
  @TempDir
  Path dir;

  @BeforeEach
  void needsRedisServer() {
    RedisProcess.assumeBinary();
  }

  @Test
  void aUrlCarriesUserPasswordDatabaseAndNeverShowsThePassword() throws Exception {
    try (RedisProcess r = RedisProcess.start(dir, "--requirepass", "s3cret")) {
      try (Jedis admin = new Jedis("127.0.0.1", r.port)) {
        admin.auth("s3cret");
        admin.aclSetUser("ledger", "on", ">pa:ss@w0rd", "~*", "+@all");
      }
      try (RedisLedger l = RedisLedger.builder().url("redis://ledger:pa%3Ass%40w0rd@127.0.0.1:" + r.port + "/2")
          .prefix("kurl").build()) {
        l.setLimit(TEAM, 100, BudgetPeriod.NONE);
        assertThat(l.reserve("a", List.of(TEAM), 40).granted()).isTrue();
      }
      try (Jedis admin = new Jedis("127.0.0.1", r.port)) {
        admin.auth("s3cret");
        assertThat(admin.exists("kurl:ledger")).isFalse(); // not in database 0
        admin.select(2);
        assertThat(admin.exists("kurl:ledger")).isTrue();
      }
      // a wrong password and none: refused credentials, said as such, the password nowhere
      try (RedisLedger l = RedisLedger.builder().url("redis://ledger:wrong-pw@127.0.0.1:" + r.port).build()) {
        assertThatThrownBy(() -> l.reserve("a", List.of(TEAM), 1)).isInstanceOf(BudgetUnavailableException.class)
            .hasMessageContaining("refused the credentials").hasMessageNotContaining("wrong-pw");
      }
      try (RedisLedger l = RedisLedger.builder().port(r.port).build()) {
        assertThatThrownBy(() -> l.setLimit(TEAM, 1, BudgetPeriod.NONE)).isInstanceOf(BudgetUnavailableException.class)
            .hasMessageContaining("refused the credentials");
      }
    }
  }

  @Test
  void aMalformedUrlIsRefusedWithoutItsPassword() {
    for (String bad : List.of("http://u:topsecret@host:6379", "redis://u:topsecret@:6379", "redis://u:topsecret@h:1/x",
        "redis://u:topsecret@h:1/-2", "redis://u:topsecret@h h")) {
      assertThatThrownBy(() -> RedisLedger.builder().url(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining("topsecret");
    }
    RedisUrl u = RedisUrl.parse("rediss://:pw@cache.example:6380/3");
    assertThat(u).extracting(RedisUrl::tls, RedisUrl::host, RedisUrl::port, RedisUrl::user, RedisUrl::password,
        RedisUrl::database).containsExactly(true, "cache.example", 6380, null, "pw", 3);
    assertThat(u.toString()).doesNotContain("pw");
  }

  @Test
  void tlsWithACertificateOfOurOwn() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
        "-out", cert.toString(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
        .redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "openssl could not make a certificate");
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("redis", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    try (RedisProcess r = RedisProcess.startTls(dir, cert, key)) {
      try (RedisLedger l = RedisLedger.builder().host("127.0.0.1").port(r.port).tls(ctx.getSocketFactory()).build()) {
        l.setLimit(TEAM, 100, BudgetPeriod.NONE);
        assertThat(l.reserve("a", List.of(TEAM), 60).granted()).isTrue();
        assertThat(l.reserve("b", List.of(TEAM), 60).granted()).isFalse();
      }
      // plain text to a TLS port, and TLS without trusting the certificate: unavailable, said so
      try (RedisLedger l = RedisLedger.builder().port(r.port).timeout(Duration.ofMillis(500)).build()) {
        assertThatThrownBy(() -> l.status(TEAM)).isInstanceOf(BudgetUnavailableException.class);
      }
      try (RedisLedger l = RedisLedger.builder().url("rediss://127.0.0.1:" + r.port).build()) {
        assertThatThrownBy(() -> l.status(TEAM)).isInstanceOf(BudgetUnavailableException.class)
            .hasMessageContaining("cannot be reached");
      }
    }
  }

  @Test
  void aReplicaAndAFullServerAreSaidAsSuch() throws Exception {
    try (RedisProcess primary = RedisProcess.start(dir);
        RedisProcess replica = RedisProcess.start(dir)) {
      try (Jedis j = new Jedis("127.0.0.1", replica.port)) {
        j.replicaof("127.0.0.1", primary.port);
      }
      try (RedisLedger l = RedisLedger.builder().port(replica.port).build()) {
        assertThatThrownBy(() -> l.setLimit(TEAM, 100, BudgetPeriod.NONE)).isInstanceOf(BudgetUnavailableException.class)
            .hasMessageContaining("read-only replica");
      }
    }
    try (RedisProcess full = RedisProcess.start(dir, "--maxmemory-policy", "noeviction")) {
      try (RedisLedger l = RedisLedger.builder().port(full.port).build()) {
        l.setLimit(TEAM, 100, BudgetPeriod.NONE);
        try (Jedis j = new Jedis("127.0.0.1", full.port)) {
          String chunk = "x".repeat(1024);
          for (int i = 0; i < 4_000; i++) {
            j.set("fill:" + i, chunk);
          }
          j.configSet("maxmemory", "1mb"); // now over it, and nothing may be evicted
        }
        assertThatThrownBy(() -> l.reserve("a", List.of(TEAM), 1)).isInstanceOf(BudgetUnavailableException.class)
            .hasMessageContaining("out of memory");
      }
    }
  }

  /** LOADING and the rest that a test cannot make on demand: the words for each reply Redis gives. */
  @Test
  void everyRefusalOfRedisIsNamed() {
    try (RedisLedger l = RedisLedger.builder().port(1).build()) {
      for (String[] c : new String[][] {
          {"LOADING Redis is loading the dataset in memory", "is loading its data set"},
          {"OOM command not allowed when used memory > 'maxmemory'.", "out of memory"},
          {"READONLY You can't write against a read only replica.", "read-only replica"},
          {"NOAUTH Authentication required.", "refused the credentials"},
          {"WRONGPASS invalid username-password pair or user is disabled.", "refused the credentials"},
          {"MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", "lost its primary"},
          {"MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist", "MISCONF"},
          {"BUSY Redis is busy running a script.", "busy"}}) {
        assertThat(l.unavailable("Redis at x", new JedisDataException(c[0])).getMessage()).contains(c[1]);
      }
    }
  }

  /**
   * #12: a server that accepts and never answers. 25 callers on a pool of 8 with a timeout and a
   * borrow timeout of 300 ms: each caller is told within the bound (borrow + connect + command), not
   * after the callers before it.
   */
  @Test
  void aServerThatNeverAnswersCostsEachCallerABoundedWait() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0)) {
      Thread acceptor = new Thread(() -> {
        while (!silent.isClosed()) {
          try {
            held.add(silent.accept());
          } catch (java.io.IOException closed) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      ExecutorService pool = Executors.newFixedThreadPool(25);
      try (RedisLedger l = RedisLedger.builder().port(silent.getLocalPort()).poolSize(8)
          .timeout(Duration.ofMillis(300)).borrowTimeout(Duration.ofMillis(300)).build()) {
        List<Future<Boolean>> told = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
          int n = i;
          told.add(pool.submit(() -> {
            try {
              l.reserve("r" + n, List.of(TEAM), 1);
              return false;
            } catch (BudgetUnavailableException expected) {
              return true;
            }
          }));
        }
        pool.shutdown();
        // 300 borrow + 300 connect + 300 command, with room for a slow machine: all told, none after the others
        assertThat(pool.awaitTermination(1_500, TimeUnit.MILLISECONDS)).isTrue();
        for (Future<Boolean> t : told) {
          assertThat(t.get()).isTrue();
        }
      } finally {
        pool.shutdownNow();
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void aSlowServerIsATimeout() throws Exception {
    try (RedisProcess r = RedisProcess.start(dir);
        RedisLedger l = RedisLedger.builder().port(r.port).timeout(Duration.ofMillis(400)).build()) {
      l.setLimit(TEAM, 100, BudgetPeriod.NONE);
      try (Jedis admin = new Jedis("127.0.0.1", r.port)) {
        admin.clientPause(1_500); // the server answers nobody for 1.5 s (CLIENT PAUSE)
      }
      assertThatThrownBy(() -> l.reserve("a", List.of(TEAM), 1)).isInstanceOf(BudgetUnavailableException.class)
          .hasMessageContaining("did not answer within 400 ms");
      try (Jedis waiter = new Jedis(new redis.clients.jedis.HostAndPort("127.0.0.1", r.port),
          redis.clients.jedis.DefaultJedisClientConfig.builder().socketTimeoutMillis(10_000)
              .clientSetInfoConfig(redis.clients.jedis.ClientSetInfoConfig.DISABLED).build())) {
        waiter.ping(); // answered when the pause ends: the server says when, no sleeping
      }
      // the request was never decided, or decided once: its retry counts once
      Admission again = l.reserve("a", List.of(TEAM), 1);
      assertThat(again.granted()).isTrue();
      assertThat(l.status(TEAM).reservedNanos()).isEqualTo(1);
    }
  }

  /** A Sentinel failover: the ledger follows the new primary, and what was committed before is there. */
  @Test
  void itFollowsASentinelFailover() throws Exception {
    try (RedisProcess a = RedisProcess.start(dir, "--appendonly", "yes");
        RedisProcess b = RedisProcess.start(dir, "--appendonly", "yes")) {
      try (Jedis j = new Jedis("127.0.0.1", b.port)) {
        j.replicaof("127.0.0.1", a.port);
      }
      waitFor(() -> {
        try (Jedis j = new Jedis("127.0.0.1", b.port)) {
          return j.info("replication").contains("master_link_status:up");
        }
      });
      try (RedisProcess s = RedisProcess.startSentinel(dir, "kopeck-primary", a.port);
          RedisLedger l = RedisLedger.builder().sentinel("kopeck-primary", List.of("127.0.0.1:" + s.port))
              .timeout(Duration.ofSeconds(1)).build()) {
        l.setLimit(TEAM, 100, BudgetPeriod.NONE);
        assertThat(l.reserve("before", List.of(TEAM), 40).granted()).isTrue();
        l.commit("before", 30);
        try (Jedis j = new Jedis("127.0.0.1", a.port)) {
          assertThat(j.waitReplicas(1, 2_000)).isEqualTo(1L); // what was committed is on the replica
        }
        try (Jedis sentinel = new Jedis("127.0.0.1", s.port)) {
          waitFor(() -> {
            try {
              return "OK".equals(sentinel.sentinelFailover("kopeck-primary"));
            } catch (JedisDataException notYet) { // NOGOODSLAVE until the sentinel has seen the replica
              return false;
            }
          });
          waitFor(() -> sentinel.sentinelGetMasterAddrByName("kopeck-primary").get(1).equals(Integer.toString(b.port)));
        }
        // until the old primary is a replica, a write that still reaches it is lost when it follows the new
        // one (replication is asynchronous: docs/budgets.md); the failover is over when it has been demoted
        waitFor(() -> {
          try (Jedis j = new Jedis("127.0.0.1", a.port)) {
            return j.info("replication").contains("role:slave");
          }
        });
        Admission after = null;
        for (int i = 0; i < 100 && after == null; i++) {
          try {
            after = l.reserve("after", List.of(TEAM), 60);
          } catch (BudgetUnavailableException switching) {
            Thread.sleep(100); // the client learns of the new primary from Sentinel
          }
        }
        assertThat(after).isNotNull();
        assertThat(after.granted()).isTrue();
        assertThat(l.commit("before", 30).replayed()).isTrue();
        assertThat(l.status(TEAM)).extracting(s2 -> s2.spentNanos(), s2 -> s2.reservedNanos()).containsExactly(30L, 60L);
      }
    }
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not reached within 30 s");
  }
}
