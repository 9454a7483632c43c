package dev.kopeck.spend;

import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.ScopeStatus;
import dev.kopeck.budget.redis.RedisLedger;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.reconcile.Reconciler;
import dev.kopeck.pricing.usage.Usage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis ledger's store is lost; its limits are set again and its spending is rebuilt from the
 * spend log, in PostgreSQL and in JSONL: the rebuilt state equals what was committed.
 */
class BudgetRebuildTest {
  // the scopes of this run only: the database holds other tests' and runs' records
  final Scope TEAM = Scope.of("team:" + UUID.randomUUID());
  final Scope ORG = Scope.of("org:" + UUID.randomUUID());

  @TempDir
  Path dir;

  @Test
  void aLostLedgerIsRebuiltToWhatWasCommitted() throws Exception {
    Pg.assumeUp();
    Clock clock = Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC);
    Estimator est = Estimator.builder().clock(clock).build();
    String prefix = "kopeck-rebuild-" + UUID.randomUUID();
    String run = "rb-" + UUID.randomUUID() + "-";
    ChatRequest r = ChatRequestParser.parse("r", "{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Say hello.\"}]}");
    try (RedisLedger ledger = RedisLedger.builder().url("redis://127.0.0.1:6379").prefix(prefix).clock(clock).build()) {
      ledger.setLimit(TEAM, 5_000_000_000L, BudgetPeriod.MONTH);
      ledger.setLimit(ORG, 9_000_000_000L, BudgetPeriod.DAY);
      PostgresSpendSink pg = new PostgresSpendSink(SpendLogTest.URL, SpendLogTest.USER, null);
      pg.migrate();
      JsonlSpendSink jsonl = new JsonlSpendSink(dir.resolve("spend.jsonl"));
      SpendSink both = batch -> {
        pg.write(batch);
        jsonl.write(batch);
      };
      try (SpendLog log = SpendLog.builder(dir.resolve("journal"), both).clock(clock).build()) {
        BudgetGuard g = new BudgetGuard(est, Reconciler.builder().estimator(est).clock(clock).build(), ledger, clock)
            .withListener(log);
        for (int i = 0; i < 30; i++) {
          List<Scope> scopes = i % 3 == 0 ? List.of(TEAM, ORG) : List.of(TEAM);
          g.admit(run + i, r, scopes);
          if (i % 7 == 6) {
            g.fail(run + i, "upstream answered 500");
          } else {
            g.charge(run + i, r, Usage.of(1000 + i, 100 + i), false);
          }
        }
        assertThat(log.flush(Duration.ofSeconds(30))).isTrue();
      }
      pg.close();
      jsonl.close();
      ScopeStatus team = ledger.status(TEAM);
      ScopeStatus org = ledger.status(ORG);
      assertThat(team.spentNanos()).isPositive();

      for (String source : new String[] {"postgresql", "jsonl"}) {
        ledger.deleteAll(); // the store is lost
        ledger.setLimit(TEAM, 5_000_000_000L, BudgetPeriod.MONTH); // the application sets its limits again
        ledger.setLimit(ORG, 9_000_000_000L, BudgetPeriod.DAY);
        BudgetRebuild rebuild = new BudgetRebuild(ledger, List.of(TEAM, ORG), ZoneId.of("UTC"));
        List<BudgetRebuild.Result> results = source.equals("jsonl")
            ? rebuild.fromJsonl(List.of(dir.resolve("spend.jsonl")))
            : rebuild.fromPostgres(SpendLogTest.URL, SpendLogTest.USER, null, Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(ledger.status(TEAM).spentNanos()).as(source).isEqualTo(team.spentNanos());
        assertThat(ledger.status(ORG).spentNanos()).as(source).isEqualTo(org.spentNanos());
        assertThat(results.get(0).commits()).isEqualTo(26); // 30 calls, 4 of them released (6, 13, 20, 27)
        // twice: the same state
        new BudgetRebuild(ledger, List.of(TEAM, ORG), ZoneId.of("UTC")).fromJsonl(List.of(dir.resolve("spend.jsonl")));
        assertThat(ledger.status(TEAM).spentNanos()).isEqualTo(team.spentNanos());
      }
      ledger.deleteAll();
    }
  }

  /** Issue 28: a scope in roubles is rebuilt from its rouble commits; a dollar commit is reported, never added. */
  @Test
  void neverAddsTwoCurrencies() throws Exception {
    dev.kopeck.budget.InMemoryLedger ledger = dev.kopeck.budget.InMemoryLedger.builder().build();
    Scope team = Scope.of("team:ml");
    ledger.setLimit(team, 5_000_000_000L, BudgetPeriod.NONE, java.util.Currency.getInstance("RUB"));
    Instant at = Instant.parse("2026-11-26T10:00:00Z");
    List<SpendRecord> records = List.of(
        new SpendRecord("a", SpendRecord.Event.COMMIT, at, List.of("team:ml"), "m", "p", "RUB",
            new java.math.BigDecimal("0.115245"), 0, 115_245_000L, 0, false, false, 1, 0, 0, 1, 0, null),
        new SpendRecord("b", SpendRecord.Event.COMMIT, at, List.of("team:ml"), "m", "p", "USD",
            new java.math.BigDecimal("0.088509"), 0, 88_509_000L, 0, false, false, 1, 0, 0, 1, 0, null));
    List<BudgetRebuild.Result> results = new BudgetRebuild(ledger, List.of(team), ZoneOffset.UTC)
        .from(each -> records.forEach(each));
    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.afterNanos()).isEqualTo(115_245_000L);
      assertThat(r.commits()).isEqualTo(1);
      assertThat(r.currency()).isEqualTo("RUB");
      assertThat(r.notAdded()).containsOnlyKeys("USD");
      assertThat(r.notAdded().get("USD")).isEqualTo(new BudgetRebuild.NotAdded(1, 88_509_000L));
    });
    assertThat(ledger.status(team).spentNanos()).isEqualTo(115_245_000L);
  }
}
