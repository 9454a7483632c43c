package dev.kopeck.bench;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import java.time.Duration;
import java.util.List;

/**
 * The heap an in-memory ledger takes per request id it remembers: a million open reservations,
 * then a million committed ids (within the idempotency window), each measured after a full GC.
 * {@code java -cp bench/target/benchmarks.jar dev.kopeck.bench.LedgerHeap}
 */
public final class LedgerHeap {
  private LedgerHeap() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<Scope> scopes = List.of(Scope.of("tenant:acme"), Scope.of("team:ml"));
    InMemoryLedger open = InMemoryLedger.builder().reservationTtl(Duration.ofHours(1)).build();
    open.setLimit(scopes.get(1), Long.MAX_VALUE, BudgetPeriod.MONTH);
    long before = HeapFootprint.used();
    for (int i = 0; i < n; i++) {
      open.reserve("request-" + i, scopes, 1_000);
    }
    long afterOpen = HeapFootprint.used();
    System.out.printf("open reservations: %d ids, %.0f bytes an id%n", open.remembered(), (afterOpen - before) / (double) n);
    InMemoryLedger done = InMemoryLedger.builder().idempotencyWindow(Duration.ofHours(1)).build();
    long before2 = HeapFootprint.used();
    for (int i = 0; i < n; i++) {
      done.reserve("request-" + i, scopes, 1_000);
      done.commit("request-" + i, 900);
    }
    long afterDone = HeapFootprint.used();
    System.out.printf("committed, remembered: %d ids, %.0f bytes an id%n", done.remembered(),
        (afterDone - before2) / (double) n);
    if (open.remembered() + done.remembered() < 0) {
      System.out.println(); // keeps both ledgers reachable until here
    }
  }
}
