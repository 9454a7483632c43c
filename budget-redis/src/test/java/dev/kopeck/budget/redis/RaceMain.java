package dev.kopeck.budget.redis;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.Scope;
import java.util.List;

/**
 * One racing process: {@code RaceMain PORT PREFIX NAME REQUESTS}: reserves, retries the reserve,
 * commits (sometimes more than reserved), retries the commit; prints the grants.
 */
public final class RaceMain {
  private RaceMain() {}

  public static void main(String[] a) {
    int port = Integer.parseInt(a[0]);
    try (RedisLedger l = RedisLedger.builder().port(port).prefix(a[1]).build()) {
      int granted = 0;
      for (int i = 0; i < Integer.parseInt(a[3]); i++) {
        String id = a[2] + "-" + i;
        List<Scope> scopes = List.of(Scope.of("team:race"));
        long amount = 10_000_000L + (i % 5) * 1_000_000L;
        Admission x = l.reserve(id, scopes, amount);
        if (x.granted()) {
          granted++;
          l.reserve(id, scopes, amount);
          l.commit(id, amount);
          l.commit(id, amount);
        }
      }
      System.out.println("granted " + granted);
    }
  }
}
