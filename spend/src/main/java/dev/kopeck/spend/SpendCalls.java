package dev.kopeck.spend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The commits of a spend log as a call log {@code kopeck reconcile} reads: a line a commit, its
 * usage in OpenAI's shape with the committed cost as the charge ({@code usage.cost}), so a
 * reconciliation re-prices each commit with the tariff in force at its time and flags a commit that
 * cost otherwise (the tariff check). Cache writes are not in that shape: a commit with cache writes
 * is reconciled without them.
 */
public final class SpendCalls {
  private SpendCalls() {}

  /** A commit as a call-log line. */
  public static String line(SpendRecord r) {
    StringBuilder b = new StringBuilder(400);
    b.append("{\"id\":");
    SpendJson.str(b, r.requestId());
    b.append(",\"timestamp\":\"").append(r.at()).append('"');
    if (r.currency() != null) {
      b.append(",\"currency\":");
      SpendJson.str(b, r.currency());
    }
    b.append(",\"response\":{");
    if (r.model() != null) {
      b.append("\"model\":");
      SpendJson.str(b, r.model());
      b.append(',');
    }
    b.append("\"usage\":{\"prompt_tokens\":").append(r.inputTokens()).append(",\"completion_tokens\":")
        .append(r.outputTokens()).append(",\"total_tokens\":").append(r.inputTokens() + r.outputTokens())
        .append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(r.cacheReadTokens())
        .append("},\"completion_tokens_details\":{\"reasoning_tokens\":").append(r.reasoningTokens()).append('}');
    if (r.cost() != null) {
      b.append(",\"cost\":").append(r.cost().toPlainString());
    }
    return b.append("}}}").toString();
  }

  /** A source of spend records. */
  @FunctionalInterface
  public interface Source {
    void forEach(java.util.function.Consumer<SpendRecord> each) throws Exception;
  }

  /**
   * The commits of {@code source} from {@code since} to {@code until} that {@code keep} accepts (a
   * scope, a model), as a call log, streamed: a thread reads the source into a pipe of 64 KB, so
   * memory stays the same however long the log. A failure of the source ends the stream with an
   * {@link IOException} naming it, not with an end that would read as a shorter log.
   */
  public static InputStream stream(Source source, Instant since, Instant until,
      java.util.function.Predicate<SpendRecord> keep) throws IOException {
    java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
    PipedInputStream in = new PipedInputStream(64 * 1024);
    PipedOutputStream out = new PipedOutputStream(in);
    Thread t = new Thread(() -> {
      OutputStream o = out;
      try {
        source.forEach(r -> {
          if (r.event() == SpendRecord.Event.COMMIT && (since == null || !r.at().isBefore(since))
              && (until == null || r.at().isBefore(until)) && keep.test(r)) {
            try {
              o.write((line(r) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
        });
      } catch (Exception e) {
        // set before the pipe closes, so the reader sees it at the end (a try-with-resources would close
        // the pipe first, and a failed source would read as a shorter log)
        failed.set(e);
      } finally {
        try {
          o.close();
        } catch (IOException e) {
          failed.compareAndSet(null, e);
        }
      }
    }, "kopeck-spend-calls");
    t.setDaemon(true);
    t.start();
    return new java.io.FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        return checked(super.read());
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return checked(super.read(b, off, len));
      }

      private int checked(int n) throws IOException {
        Exception e = failed.get();
        if (n < 0 && e != null) {
          throw new IOException("the spend log could not be read: " + e.getMessage(), e);
        }
        return n;
      }
    };
  }

  /** The records of JSONL spend logs, as a {@link Source}. */
  public static Source files(List<Path> files) {
    return each -> SpendFiles.forEach(files, each);
  }

  /** The records of the spend log in PostgreSQL, as a {@link Source}. */
  public static Source postgres(String jdbcUrl, String user, String password, Instant since, Instant until) {
    return each -> SpendDb.forEach(jdbcUrl, user, password, since, until, each);
  }
}
