package dev.kopeck.spend;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.guard.GuardListener;
import dev.kopeck.core.guard.UncommittedCharge;
import dev.kopeck.core.reconcile.Reconciliation;
import dev.kopeck.pricing.usage.Usage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every reserve, refusal, commit and release of a budget guard, kept: give it to the guard
 * ({@code guard.withListener(log)}) and every call is recorded, whichever integration made it.
 *
 * <p>A record is first appended to a journal on local disk ({@code DIR/journal.jsonl}) on the
 * caller's thread: one write to the file, never a wait on the database. A writer thread ships the
 * journal to the {@link SpendSink} in batches and records how far it got ({@code DIR/journal.cursor})
 * after the sink took each batch. So a record survives the process being killed (the operating
 * system has the write); after a crash of the machine, what the journal had not forced to the disk
 * ({@code fsyncEvery}, 1 s by default) may be lost. When the sink fails (the database is down) the
 * writer retries the same batch, backing off to {@code maxBackoff}; the journal grows meanwhile, on
 * disk, and {@link #backlogBytes()} says by how much. It never refuses or blocks a call: a full disk
 * is an error of the write, told to the guard's listener chain and counted by {@link #lost()}.
 * After a restart on the same folder the writer goes on from its cursor; a batch the sink took
 * just before a crash is sent again, and the sink stores it once.
 *
 * <p>A record the sink refuses for good ({@link SpendSink.RefusedException}: PostgreSQL will not
 * store an id that long, a NUL in a text), a journal line that is not a record (cut by a crash of the
 * machine) and a line longer than {@code maxRecordBytes} go to the dead-letter file
 * ({@code DIR/dead-letter.jsonl}, a line each with the reason, the record and its journal offset; an
 * over-long line's bytes beside it in {@code DIR/dead-letter-OFFSET.raw}); {@link #deadLettered()}
 * counts them and {@link #lastDeadLetter()} says why the last one was set aside. The records after it ship.
 */
public final class SpendLog implements GuardListener, AutoCloseable {
  private final SpendSink sink;
  private final Path journal;
  private final Path cursorFile;
  private final Clock clock;
  private final int batchSize;
  private final Duration fsyncEvery;
  private final Duration maxBackoff;
  private final int maxRecordBytes;
  private final Path deadLetter;
  private final Object lock = new Object();
  private final FileChannel out;
  private final Thread writer;
  /** A reservation not yet ended: its scopes, for its later records, and when the ledger lets it expire. */
  private record Open(List<String> scopes, long amountNanos, java.time.Instant expiresAt, String model) {}

  /**
   * The reservations this log saw made and not yet ended, in the order they were made (which, with
   * one time to live, is the order they expire in); bounded. And the scopes of those that expired,
   * for a commit that comes late.
   */
  private final Map<String, Open> open = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Open> e) {
      return size() > 1_000_000;
    }
  };
  private final Map<String, List<String>> expiredScopes = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<String>> e) {
      return size() > 100_000;
    }
  };
  private volatile boolean closing;
  /** The journal offset up to which the sink has the records. */
  private volatile long shipped;
  /** Bytes ever appended, and ever shipped, since this log opened (counting a journal left before). */
  private long appendedTotal;
  private long shippedTotal;
  private volatile long lost;
  private volatile Exception lastFailure;
  private volatile long deadLettered;
  private volatile String lastDeadLetter;

  private SpendLog(Builder b) throws IOException {
    this.sink = b.sink;
    this.clock = b.clock;
    this.batchSize = b.batchSize;
    this.fsyncEvery = b.fsyncEvery;
    this.maxBackoff = b.maxBackoff;
    this.maxRecordBytes = b.maxRecordBytes;
    Files.createDirectories(b.dir);
    this.deadLetter = b.dir.resolve("dead-letter.jsonl");
    this.journal = b.dir.resolve("journal.jsonl");
    this.cursorFile = b.dir.resolve("journal.cursor");
    this.out = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    long c = Files.exists(cursorFile) ? Long.parseLong(Files.readString(cursorFile).trim()) : 0;
    this.shipped = c > out.size() ? 0 : c; // a journal emptied after it was shipped, before its cursor was
    this.appendedTotal = out.size();
    this.shippedTotal = shipped;
    this.writer = new Thread(this::run, "kopeck-spend-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** @param dir the log's own folder on local disk: its journal and cursor */
  public static Builder builder(Path dir, SpendSink sink) {
    return new Builder(dir, sink);
  }

  public static final class Builder {
    private final Path dir;
    private final SpendSink sink;
    private Clock clock = Clock.systemUTC();
    private int batchSize = 1000;
    private Duration fsyncEvery = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int maxRecordBytes = 16 << 20;

    private Builder(Path dir, SpendSink sink) {
      this.dir = Objects.requireNonNull(dir, "dir");
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /** The most records the sink gets at once (1,000). */
    public Builder batchSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("batchSize must be at least 1: " + n);
      }
      batchSize = n;
      return this;
    }

    /** How often the journal is forced to the disk (1 s); {@link Duration#ZERO}: after every record. */
    public Builder fsyncEvery(Duration d) {
      fsyncEvery = Objects.requireNonNull(d, "fsyncEvery");
      return this;
    }

    /** The longest wait between tries of a failing sink (30 s). */
    public Builder maxBackoff(Duration d) {
      maxBackoff = Objects.requireNonNull(d, "maxBackoff");
      return this;
    }

    /**
     * The longest journal line shipped (16 MiB): a longer one is set aside whole in the dead-letter
     * folder, read a piece at a time, never held in memory.
     */
    public Builder maxRecordBytes(int n) {
      if (n < 1024) {
        throw new IllegalArgumentException("maxRecordBytes must be at least 1024: " + n);
      }
      maxRecordBytes = n;
      return this;
    }

    /** Opens the journal and starts the writer; a journal left by a run before is shipped first. */
    public SpendLog build() {
      try {
        return new SpendLog(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the spend log's journal in " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  // ---- what the guard tells ----

  @Override
  public void admitted(Admission.Reservation r, ChatRequest request) {
    List<String> names = r.scopes().stream().map(Scope::name).toList();
    synchronized (open) {
      if (!r.replayed()) {
        open.put(r.requestId(), new Open(names, r.amountNanos(), r.expiresAt(), request.model()));
      }
    }
    append(record(r.requestId(), SpendRecord.Event.RESERVE, names, request.model(), null, null, null, r.amountNanos(),
        0, 0, false, false, null, null));
  }

  @Override
  public void refused(Admission.Refusal r, ChatRequest request) {
    append(record(r.requestId(), SpendRecord.Event.REFUSE, List.of(r.scope().name()), request.model(), null, null, null,
        r.askedNanos(), 0, 0, false, false, null, r.toString()));
  }

  @Override
  public void committed(Charge c, boolean usageEstimated) {
    Reconciliation r = c.reconciliation();
    String provider = r.cost() != null ? r.cost().provider() : r.provider();
    String tariff = r.cost() == null ? null : r.cost().tariff() != null ? r.cost().pricesFrom()
        : "catalog " + r.cost().provider() + " " + r.cost().model();
    Usage u = r.usage();
    append(new SpendRecord(c.requestId(), SpendRecord.Event.COMMIT, clock.instant(), ended(c.requestId()), r.model(),
        provider, c.budgetCurrency().getCurrencyCode(), r.price().amount(), c.commit().reservedNanos(),
        c.commit().actualNanos(), c.commit().overspendNanos(), c.commit().late(), usageEstimated, u.inputTokens(),
        u.cacheReadTokens(), u.cacheWriteTokens(), u.outputTokens(), u.reasoningTokens(), null, tariff,
        r.estimate() == null ? -1 : r.estimate().input().total()));
  }

  @Override
  public void released(String requestId, String why) {
    append(record(requestId, SpendRecord.Event.RELEASE, ended(requestId), null, null, null, null, 0, 0, 0, false, false,
        null, why));
  }

  /**
   * A commit the ledger did not take. When the call was priced ({@link UncommittedCharge}: its
   * reservation was gone, as after a wiped store), the record keeps what it cost, and
   * {@code kopeck budget rebuild} counts it as spent.
   */
  @Override
  public void commitFailed(String requestId, RuntimeException e) {
    if (e instanceof UncommittedCharge u) {
      Reconciliation r = u.reconciliation();
      Usage us = r.usage();
      append(new SpendRecord(requestId, SpendRecord.Event.COMMIT_FAILED, clock.instant(), ended(requestId), r.model(),
          r.cost() != null ? r.cost().provider() : r.provider(),
          u.budgetCurrency().getCurrencyCode(), r.price().amount(), 0, u.amountNanos(), 0, false, false,
          us.inputTokens(), us.cacheReadTokens(), us.cacheWriteTokens(), us.outputTokens(), us.reasoningTokens(),
          shortText(String.valueOf(e.getMessage()), MAX_REASON), null, -1));
      return;
    }
    append(record(requestId, SpendRecord.Event.COMMIT_FAILED, ended(requestId), null, null, null, null, 0, 0, 0, false,
        false, null, String.valueOf(e.getMessage())));
  }

  private List<String> ended(String requestId) {
    synchronized (open) {
      Open o = open.remove(requestId);
      if (o != null) {
        return o.scopes();
      }
      List<String> late = expiredScopes.remove(requestId);
      return late == null ? List.of() : late;
    }
  }

  private SpendRecord record(String id, SpendRecord.Event event, List<String> scopeNames, String model, String provider,
      String currency, java.math.BigDecimal cost, long reserved, long costNanos, long overspend, boolean late,
      boolean estimated, Usage u, String reason) {
    return new SpendRecord(id, event, clock.instant(), scopeNames, model, provider, currency, cost, reserved, costNanos,
        overspend, late, estimated, u == null ? 0 : u.inputTokens(), u == null ? 0 : u.cacheReadTokens(),
        u == null ? 0 : u.cacheWriteTokens(), u == null ? 0 : u.outputTokens(), u == null ? 0 : u.reasoningTokens(),
        reason == null ? null : shortText(reason, MAX_REASON));
  }

  /** The longest reason a record keeps: an exception's message may quote a whole body. */
  static final int MAX_REASON = 2000;

  /** {@code s}, or its first {@code max} characters and how many more there were. */
  static String shortText(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end) + "… (" + (s.length() - end) + " more characters)";
  }

  /** Appends a record to the journal: the write a record costs the caller. */
  public void append(SpendRecord r) {
    ByteBuffer b = ByteBuffer.wrap((SpendJson.line(r) + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (lock) {
      try {
        int n = b.remaining();
        while (b.hasRemaining()) {
          out.write(b);
        }
        appendedTotal += n;
        if (fsyncEvery.isZero()) {
          out.force(false);
        }
      } catch (IOException e) {
        lost++;
        throw new UncheckedIOException("the spend log could not write its journal " + journal + ": " + e.getMessage(),
            e);
      }
      lock.notifyAll();
    }
  }

  /**
   * Records the reservations past their time to live, oldest first: the ledger has given their money
   * back (a sweep, or the next reserve that needed it). A commit that comes after is late.
   */
  void recordExpiries() {
    java.time.Instant now = clock.instant();
    List<Map.Entry<String, Open>> due = new ArrayList<>();
    synchronized (open) {
      var it = open.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Open> e = it.next();
        if (e.getValue().expiresAt().isAfter(now)) {
          break;
        }
        due.add(e);
        it.remove();
        expiredScopes.put(e.getKey(), e.getValue().scopes());
      }
    }
    for (Map.Entry<String, Open> e : due) {
      Open o = e.getValue();
      append(record(e.getKey(), SpendRecord.Event.EXPIRE, o.scopes(), o.model(), null, null, null, o.amountNanos(), 0,
          0, false, false, null, "neither committed nor released before " + o.expiresAt()));
    }
  }

  // ---- the writer ----

  private void run() {
    long backoff = 50;
    long lastSync = System.nanoTime();
    boolean prepared = false;
    while (true) {
      try {
        if (!prepared) {
          sink.prepare(); // the schema created or migrated on start, not at the first record
          prepared = true;
        }
        long size;
        synchronized (lock) {
          size = out.size();
          if (shipped >= size) {
            if (closing) {
              return;
            }
            if (size > 0 && shipped == size) { // everything is shipped: start the journal again
              out.truncate(0);
              shipped = 0;
              writeCursor(0);
            }
            lock.wait(fsyncEvery.isZero() ? 1000 : Math.max(1, fsyncEvery.toMillis()));
          }
        }
        if (System.nanoTime() - lastSync >= Math.max(fsyncEvery.toNanos(), 1_000_000_000L / 4)) {
          recordExpiries();
          if (!fsyncEvery.isZero()) {
            out.force(false);
          }
          lastSync = System.nanoTime();
        }
        List<SpendRecord> batch = new ArrayList<>();
        long end = readBatch(batch);
        if (end == shipped) { // a line still being written: wait for its end, do not spin
          synchronized (lock) {
            lock.wait(10);
          }
          continue;
        }
        write(batch);
        synchronized (lock) {
          shippedTotal += end - shipped;
          shipped = end;
          writeCursor(end);
          lock.notifyAll();
        }
        backoff = 50;
        lastFailure = null;
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        lastFailure = e;
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException stop) {
          return;
        }
        backoff = Math.min(backoff * 2, maxBackoff.toMillis());
      }
    }
  }

  /**
   * Gives the batch to the sink; when the sink refuses a record of it for good, gives the records one
   * at a time and sets each refused one aside. Any other failure is thrown, and the batch is tried
   * again (the records already in are stored once).
   */
  private void write(List<SpendRecord> batch) throws Exception {
    if (batch.isEmpty()) {
      return;
    }
    try {
      sink.write(batch);
    } catch (SpendSink.RefusedException some) {
      for (SpendRecord r : batch) {
        try {
          sink.write(List.of(r));
        } catch (SpendSink.RefusedException refused) {
          deadLetter(refused.getMessage(), -1, SpendJson.line(r));
        }
      }
    }
  }

  /** Appends an entry to the dead-letter file: why, where in the journal, and the record's line (if it is JSON). */
  private void deadLetter(String reason, long offset, String recordLine) throws IOException {
    StringBuilder b = new StringBuilder(200 + (recordLine == null ? 0 : recordLine.length()));
    b.append("{\"reason\":");
    SpendJson.str(b, shortText(reason, 1000));
    b.append(",\"at\":\"").append(clock.instant()).append('"');
    if (offset >= 0) {
      b.append(",\"journal_offset\":").append(offset);
    }
    if (recordLine != null) {
      b.append(",\"record\":").append(recordLine);
    }
    b.append("}\n");
    Files.writeString(deadLetter, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    deadLettered++;
    lastDeadLetter = shortText(reason, 300);
  }

  /**
   * Whole lines from the cursor, up to a batch; returns the offset after the last line taken (the
   * cursor itself when no whole line is there yet). A line longer than {@code maxRecordBytes} is
   * copied aside and passed over; a line that is not a record is set aside with its reason.
   */
  private long readBatch(List<SpendRecord> batch) throws IOException {
    long from = shipped;
    long size = out.size();
    try (FileChannel in = FileChannel.open(journal, StandardOpenOption.READ)) {
      int want = (int) Math.min(size - from, Math.min(4L << 20, (long) maxRecordBytes + 1));
      while (true) {
        ByteBuffer b = ByteBuffer.allocate(want);
        while (b.hasRemaining() && in.read(b, from + b.position()) > 0) {
          // read on
        }
        byte[] bytes = b.array();
        int lineStart = 0;
        for (int i = 0; i < b.position() && batch.size() < batchSize; i++) {
          if (bytes[i] == '\n') {
            String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
            try {
              batch.add(SpendJson.parse(line));
            } catch (IOException | RuntimeException torn) { // a line cut by a crash of the machine mid-write
              deadLetter("not a spend record: " + torn.getMessage(), from + lineStart,
                  line.length() <= 1000 ? jsonString(line) : null);
            }
            lineStart = i + 1;
          }
        }
        if (lineStart > 0 || b.position() < want || want >= size - from) {
          return from + lineStart; // whole lines, or the journal's end (a line being written)
        }
        if (want > maxRecordBytes) {
          return from + setAside(in, from, size);
        }
        want = (int) Math.min(size - from, Math.min((long) want * 2, (long) maxRecordBytes + 1));
      }
    }
  }

  /**
   * Copies the over-long line at {@code from} to {@code DIR/dead-letter-FROM.raw}, a piece at a time;
   * returns its length with its newline, or 0 when its end is not written yet.
   */
  private long setAside(FileChannel in, long from, long size) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1 << 16);
    long at = from;
    long end = -1;
    while (end < 0 && at < size) {
      b.clear();
      int n = in.read(b, at);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (b.get(i) == '\n') {
          end = at + i;
          break;
        }
      }
      at += n;
    }
    if (end < 0) {
      return 0;
    }
    Path raw = deadLetter.resolveSibling("dead-letter-" + from + ".raw");
    try (FileChannel o = FileChannel.open(raw, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      long done = 0;
      while (done < end - from) {
        done += in.transferTo(from + done, end - from - done, o);
      }
    }
    deadLetter("a journal line of " + (end - from) + " bytes, longer than maxRecordBytes (" + maxRecordBytes
        + "); its bytes are in " + raw.getFileName(), from, null);
    return end + 1 - from;
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    SpendJson.str(b, s);
    return b.toString();
  }

  private void writeCursor(long at) throws IOException {
    Path tmp = cursorFile.resolveSibling("journal.cursor.tmp");
    Files.writeString(tmp, Long.toString(at));
    Files.move(tmp, cursorFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Waits until every record appended so far is in the sink, at most {@code timeout}.
   *
   * @return true when it is; false when the sink is still failing (see {@link #lastFailure()})
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      long target = appendedTotal;
      while (shippedTotal < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.notifyAll();
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Bytes of the journal not yet in the sink: what a database outage has piled up. */
  public long backlogBytes() {
    try {
      return Math.max(0, out.size() - shipped);
    } catch (IOException e) {
      return -1;
    }
  }

  /** Records that could not be written to the journal (a full disk). */
  public long lost() {
    return lost;
  }

  /**
   * Records and journal lines set aside in {@code DIR/dead-letter.jsonl} since this log opened: refused
   * by the sink for good, not a record, or longer than {@code maxRecordBytes}. An alert should watch it.
   */
  public long deadLettered() {
    return deadLettered;
  }

  /** Why the last record was set aside (a short text), or null when none was. */
  public String lastDeadLetter() {
    return lastDeadLetter;
  }

  /** Why the sink last failed, or null when its last batch went in. */
  public Exception lastFailure() {
    return lastFailure;
  }

  /** Ships what is left (up to {@code drain}), stops the writer, closes the journal and the sink. */
  public void close(Duration drain) throws Exception {
    flush(drain);
    closing = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    writer.join(drain.toMillis() + 1000);
    writer.interrupt();
    out.force(false);
    out.close();
    sink.close();
  }

  @Override
  public void close() throws Exception {
    close(Duration.ofSeconds(30));
  }
}
