package dev.kopeck.cli;

import dev.kopeck.spend.SpendCalls;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Progress of long work on standard error: "kopeck reconcile: 1,200,000 lines, 12 s, 100,000
 * lines/s", redrawn in place at most five times a second, and only once the work has run two
 * seconds. Silent unless standard error is a terminal (a pipe, a file, a test gets nothing) and when
 * the output is JSON.
 */
final class Progress implements AutoCloseable {
  private static final long START_NANOS = 2_000_000_000L;
  private static final long EVERY_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final String what;
  private final String unit;
  private final boolean on;
  private final java.util.function.LongSupplier nanos;
  private final long started;
  private long next;
  private boolean drawn;
  private volatile long done = -1;

  private Progress(PrintWriter err, String what, String unit, boolean on, java.util.function.LongSupplier nanos) {
    this.err = err;
    this.what = what;
    this.unit = unit;
    this.on = on;
    this.nanos = nanos;
    this.started = nanos.getAsLong();
    this.next = started + START_NANOS;
  }

  /** Progress of {@code what} ("kopeck reconcile") counted in {@code unit} ("lines"); off with {@code quiet}. */
  static Progress of(PrintWriter err, String what, String unit, boolean quiet) {
    return new Progress(err, what, unit, !quiet && stderrIsTerminal(), System::nanoTime);
  }

  /** Progress drawn whatever standard error is, on this clock: for tests. */
  static Progress drawn(PrintWriter err, String what, String unit, java.util.function.LongSupplier nanos) {
    return new Progress(err, what, unit, true, nanos);
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
    this.done = done;
    if (nanos.getAsLong() >= next) { // read without the lock: at worst one line late
      draw();
    }
  }

  /** What to tell the units done so far, or null when nothing is drawn (work may then skip counting them). */
  java.util.function.LongConsumer counter() {
    return on ? this::at : null;
  }

  /** The line, at most five times a second: the units done and their rate, when known, and the time. */
  private synchronized void draw() {
    long now = nanos.getAsLong();
    if (now < next) {
      return;
    }
    next = now + EVERY_NANOS;
    long elapsed = now - started;
    long n = done;
    err.print("\r" + what + ": " + (n < 0 ? "" : String.format(Locale.ROOT, "%,d %s, ", n, unit))
        + elapsed / 1_000_000_000L + " s" + (n < 0 || elapsed <= 0 ? "" : String.format(Locale.ROOT, ", %,d %s/s",
            (long) (n * 1e9 / elapsed), unit)) + " ");
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
   * Draws the time while {@code work} runs (a database query that reports nothing until it ends),
   * from a daemon thread, with the units done so far when {@link #counter()} is told them.
   */
  <T> T timing(java.util.concurrent.Callable<T> work) throws Exception {
    if (!on) {
      return work.call();
    }
    Thread ticker = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          Thread.sleep(EVERY_NANOS / 1_000_000L);
          draw(); // the units done so far, if told, else the time alone
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
