package dev.kopeck.budget.redis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster of a test's own on loopback: {@code masters} masters with {@code replicas} replicas
 * each, made by redis-cli --cluster create, node timeout 1 s so a failover takes seconds.
 */
final class RedisCluster implements AutoCloseable {
  final List<RedisProcess> nodes = new ArrayList<>();

  static RedisCluster start(Path dir, int masters, int replicas) throws Exception {
    RedisProcess.assumeBinary();
    RedisCluster c = new RedisCluster();
    try {
      for (int i = 0; i < masters * (1 + replicas); i++) {
        c.nodes.add(RedisProcess.start(dir, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "1000", "--cluster-require-full-coverage", "no"));
      }
      List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (RedisProcess n : c.nodes) {
        cmd.add("127.0.0.1:" + n.port);
      }
      cmd.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed: " + out);
      }
      c.awaitOk();
      return c;
    } catch (Exception e) {
      c.close();
      throw e;
    }
  }

  List<String> addresses() {
    return nodes.stream().map(n -> "127.0.0.1:" + n.port).toList();
  }

  /** Until every live node says cluster_state:ok (at most 60 s). */
  void awaitOk() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until) {
      boolean ok = true;
      for (RedisProcess n : nodes) {
        if (!n.alive()) {
          continue;
        }
        try (Jedis j = new Jedis("127.0.0.1", n.port)) {
          ok &= j.clusterInfo().contains("cluster_state:ok");
        } catch (RuntimeException notYet) {
          ok = false;
        }
      }
      if (ok) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("the cluster did not reach cluster_state:ok");
  }

  /** The node that is master of {@code key}'s slot now. */
  RedisProcess masterOf(String key) {
    for (RedisProcess n : nodes) {
      if (!n.alive()) {
        continue;
      }
      try (Jedis j = new Jedis("127.0.0.1", n.port)) {
        long slot = j.clusterKeySlot(key);
        String role = j.role().get(0).toString();
        if (role.equals("master") && j.clusterCountKeysInSlot((int) slot) >= 0
            && ownsSlot(j.clusterNodes(), slot)) {
          return n;
        }
      }
    }
    throw new IllegalStateException("no master for " + key);
  }

  private static boolean ownsSlot(String nodes, long slot) {
    for (String line : nodes.split("\n")) {
      if (!line.contains("myself")) {
        continue;
      }
      String[] f = line.split(" ");
      for (int i = 8; i < f.length; i++) {
        String r = f[i];
        if (r.startsWith("[")) {
          continue;
        }
        String[] ab = r.split("-");
        long a = Long.parseLong(ab[0]);
        long b = ab.length > 1 ? Long.parseLong(ab[1]) : a;
        if (slot >= a && slot <= b) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    for (RedisProcess n : nodes) {
      n.kill();
    }
  }
}
