package dev.kopeck.cli;

import dev.kopeck.spend.SpendCalls;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Progress of long work on standard error: "kopeck reconcile: 1,200,000 lines, 12 s", redrawn in
 * place at most five times a second, and only once the work has run two seconds. Silent unless
 * standard error is a terminal (a pipe, a file, a test gets nothing) and when the output is JSON.
 */
final class Progress implements AutoCloseable {
  private static final long START_NANOS = 2_000_000_000L;
  private static final long EVERY_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final String what;
  private final String unit;
  private final boolean on;
  private final long started = System.nanoTime();
  private long next = started + START_NANOS;
  private boolean drawn;

  private Progress(PrintWriter err, String what, String unit, boolean on) {
    this.err = err;
    this.what = what;
    this.unit = unit;
    this.on = on;
  }

  /** Progress of {@code what} ("kopeck reconcile") counted in {@code unit} ("lines"); off with {@code quiet}. */
  static Progress of(PrintWriter err, String what, String unit, boolean quiet) {
    return new Progress(err, what, unit, !quiet && stderrIsTerminal());
  }

  /** Standard error is a terminal: its descriptor links to a tty (Linux), else the JVM has a console. */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  /** {@code done} units so far (or -1 for work that counts nothing: the time alone). */
  void at(long done) {
    if (!on) {
      return;
    }
    long now = System.nanoTime();
    if (now < next) {
      return;
    }
    next = now + EVERY_NANOS;
    long s = (now - started) / 1_000_000_000L;
    err.print("\r" + what + ": " + (done < 0 ? "" : String.format(Locale.ROOT, "%,d %s, ", done, unit)) + s + " s ");
    err.flush();
    drawn = true;
  }

  /** A source that counts its records here as they pass. */
  SpendCalls.Source counting(SpendCalls.Source source) {
    if (!on) {
      return source;
    }
    long[] n = {0};
    return each -> source.forEach(r -> {
      each.accept(r);
      at(++n[0]);
    });
  }

  /**
   * Draws the time alone while {@code work} runs (a database query that reports nothing until it
   * ends), from a daemon thread.
   */
  <T> T timing(java.util.concurrent.Callable<T> work) throws Exception {
    if (!on) {
      return work.call();
    }
    Thread ticker = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(EVERY_NANOS / 1_000_000L);
          synchronized (this) {
            at(-1);
          }
        }
      } catch (InterruptedException e) {
        // done
      }
    }, "kopeck-progress");
    ticker.setDaemon(true);
    ticker.start();
    try {
      return work.call();
    } finally {
      ticker.interrupt();
      ticker.join();
    }
  }

  /** Clears the line drawn, if any. */
  @Override
  public synchronized void close() {
    if (drawn) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
