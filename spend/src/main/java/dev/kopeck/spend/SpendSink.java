package dev.kopeck.spend;

import java.util.List;

/**
 * Where a {@link SpendLog} puts its records. {@link #write} either stores the whole batch and
 * returns, or throws, and the log tries the same batch again: a sink must be idempotent by request
 * and event (a record written twice is stored once). A sink that will never take some record of the
 * batch, whatever the tries (a value its store refuses), throws {@link RefusedException}: the log
 * then writes the batch's records one at a time and puts each one refused in its dead-letter file.
 */
public interface SpendSink extends AutoCloseable {
  void write(List<SpendRecord> batch) throws Exception;

  /**
   * Readies the store: {@link PostgresSpendSink} creates or migrates its schema. The log's writer
   * calls it when it starts, and again after a failure until it succeeds; a sink also readies itself
   * again where it finds its store was lost.
   */
  default void prepare() throws Exception {}

  @Override
  default void close() throws Exception {}

  /** The sink will not take a record of the batch, now or on any later try; the message says why. */
  final class RefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public RefusedException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }
}
