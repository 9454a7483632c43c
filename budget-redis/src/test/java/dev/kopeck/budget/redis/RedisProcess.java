package dev.kopeck.budget.redis;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server (or sentinel) process of a test's own, on a free port, in a folder of its own:
 * the faults the ledger must survive are made on real servers, not mocks.
 */
final class RedisProcess implements AutoCloseable {
  final int port;
  final Path dir;
  private final List<String> args;
  private Process process;

  private RedisProcess(int port, Path dir, List<String> args) {
    this.port = port;
    this.dir = dir;
    this.args = args;
  }

  static String binary() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(d, "redis-server");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  static void assumeBinary() {
    Assumptions.assumeTrue(binary() != null, "no redis-server binary: tests that start servers of their own are skipped");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A server with no persistence unless {@code extra} asks for it; {@code extra} may set a password, ... */
  static RedisProcess start(Path dir, String... extra) throws Exception {
    return server(dir, false, extra);
  }

  /** A TLS-only server: the plain port is 0, {@link #port} is the TLS port. */
  static RedisProcess startTls(Path dir, Path cert, Path key) throws Exception {
    return server(dir, true, "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
        "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no");
  }

  private static RedisProcess server(Path dir, boolean tls, String... extra) throws Exception {
    int port = freePort();
    Path own = Files.createDirectories(dir.resolve("redis-" + port)); // two servers' AOF files must not meet
    List<String> a = new ArrayList<>(List.of(binary()));
    a.addAll(tls ? List.of("--port", "0", "--tls-port", Integer.toString(port)) : List.of("--port", Integer.toString(port)));
    a.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", own.toString(),
        "--enable-debug-command", "yes"));
    a.addAll(List.of(extra));
    RedisProcess p = new RedisProcess(port, own, a);
    p.start();
    return p;
  }

  /** A sentinel watching {@code primaryPort} as master {@code name}, with a quorum of one. */
  static RedisProcess startSentinel(Path dir, String name, int primaryPort) throws Exception {
    int port = freePort();
    Path own = Files.createDirectories(dir.resolve("sentinel-" + port));
    Path conf = own.resolve("sentinel.conf");
    Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + own + "\n"
        + "sentinel monitor " + name + " 127.0.0.1 " + primaryPort + " 1\n"
        + "sentinel down-after-milliseconds " + name + " 1000\n"
        + "sentinel failover-timeout " + name + " 5000\n");
    RedisProcess p = new RedisProcess(port, own, List.of(binary(), conf.toString(), "--sentinel"));
    p.start();
    return p;
  }

  void start() throws Exception {
    Path log = dir.resolve("redis-" + port + ".log");
    process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    for (int i = 0; i < 400; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 100);
        if (args.contains("--tls-port")) {
          return; // a TLS server has no data to load here: listening is ready
        }
        // listening is not ready: a server reading its append-only file answers -LOADING until it is done
        s.setSoTimeout(1000);
        s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String reply = new String(s.getInputStream().readNBytes(7), java.nio.charset.StandardCharsets.US_ASCII);
        if (!reply.startsWith("-LOADIN")) {
          return; // +PONG, or -NOAUTH from a server with a password: ready either way
        }
        process.waitFor(25, TimeUnit.MILLISECONDS);
      } catch (IOException notYet) {
        process.waitFor(25, TimeUnit.MILLISECONDS); // waits for the process to come up, not for time to pass
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port + ": " + Files.readString(log));
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** kill -STOP: the server stops answering, its sockets stay open and take what clients send. */
  void pause() throws Exception {
    signal("-STOP");
  }

  /** kill -CONT: the server goes on, and runs what its sockets took meanwhile. */
  void resume() throws Exception {
    signal("-CONT");
  }

  private void signal(String sig) throws Exception {
    Process k = new ProcessBuilder("kill", sig, Long.toString(process.pid())).inheritIO().start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IllegalStateException("kill " + sig + " " + process.pid() + " failed");
    }
  }

  /** kill -9: no chance to save anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
