package dev.kopeck.budget;

/**
 * A committed cost. A commit is never refused for the limit: the actual cost is recorded, and what
 * it adds beyond what its reservation still held is {@code overspendNanos}. A reservation still
 * open held {@code reservedNanos}; one that had expired ({@code late}) or was released held
 * nothing, so all of a late commit is overspend: the money it reserved may have gone to another
 * request meanwhile.
 *
 * @param replayed true when this answers a retried commit (charged once)
 * @param late true when the reservation had expired before this commit came
 */
public record Commit(String requestId, long actualNanos, long reservedNanos, long overspendNanos, boolean replayed,
    boolean late) {
  /** A commit that was not late. */
  public Commit(String requestId, long actualNanos, long reservedNanos, long overspendNanos, boolean replayed) {
    this(requestId, actualNanos, reservedNanos, overspendNanos, replayed, false);
  }
}
