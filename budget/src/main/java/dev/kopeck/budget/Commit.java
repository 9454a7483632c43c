package dev.kopeck.budget;

/**
 * A committed cost. A commit is never refused: when the actual cost exceeds what was reserved, the
 * excess is recorded as {@code overspendNanos}.
 *
 * @param replayed true when this answers a retried commit (charged once)
 */
public record Commit(String requestId, long actualNanos, long reservedNanos, long overspendNanos, boolean replayed) {}
