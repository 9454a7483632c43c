package dev.kopeck.spend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Records as lines of JSON appended to a file. Each batch is written whole and, with {@code fsync}
 * (the default), forced to the disk before {@link #write} returns, so a record the log counts as
 * written survives a crash of the process or the machine. When the file passes {@code rotateBytes}
 * it is renamed {@code NAME.1} (the one before to {@code NAME.2}, and so on up to {@code keep}) and
 * a new one is started; the oldest beyond {@code keep} is deleted. The file is the log's own: not
 * deduplicated, so a batch retried after a failure part-way may appear twice; readers
 * ({@code kopeck reconcile}, {@code kopeck spend}) keep the first record of each request and event.
 */
public final class JsonlSpendSink implements SpendSink {
  private final Path file;
  private final long rotateBytes;
  private final int keep;
  private final boolean fsync;
  private FileChannel out;

  public JsonlSpendSink(Path file) {
    this(file, 256L << 20, 10, true);
  }

  public JsonlSpendSink(Path file, long rotateBytes, int keep, boolean fsync) {
    this.file = Objects.requireNonNull(file, "file");
    if (rotateBytes < 1 || keep < 0) {
      throw new IllegalArgumentException("rotateBytes must be positive and keep not negative");
    }
    this.rotateBytes = rotateBytes;
    this.keep = keep;
    this.fsync = fsync;
  }

  @Override
  public synchronized void write(List<SpendRecord> batch) throws IOException {
    if (out == null) {
      out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    StringBuilder sb = new StringBuilder(batch.size() * 400);
    for (SpendRecord r : batch) {
      sb.append(SpendJson.line(r)).append('\n');
    }
    ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      out.write(b);
    }
    if (fsync) {
      out.force(false);
    }
    if (out.size() >= rotateBytes) {
      rotate();
    }
  }

  private void rotate() throws IOException {
    out.close();
    out = null;
    for (int i = keep; i >= 1; i--) {
      Path from = i == 1 ? file : file.resolveSibling(file.getFileName() + "." + (i - 1));
      Path to = file.resolveSibling(file.getFileName() + "." + i);
      if (Files.exists(from)) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    if (keep == 0) {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
