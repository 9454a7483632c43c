package dev.kopeck.spend;

import java.util.List;

/**
 * Where a {@link SpendLog} puts its records. {@link #write} either stores the whole batch and
 * returns, or throws, and the log tries the same batch again: a sink must be idempotent by request
 * and event (a record written twice is stored once).
 */
public interface SpendSink extends AutoCloseable {
  void write(List<SpendRecord> batch) throws Exception;

  @Override
  default void close() throws Exception {}
}
