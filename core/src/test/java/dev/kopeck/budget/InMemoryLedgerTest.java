package dev.kopeck.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.testing.LedgerContract;
import dev.kopeck.budget.testing.MutableClock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryLedgerTest extends LedgerContract {
  @Override
  protected BudgetLedger create(MutableClock clock, ZoneId zone, Duration ttl, BudgetListener listener) {
    return InMemoryLedger.builder().clock(clock).zone(zone).reservationTtl(ttl).idempotencyWindow(Duration.ofMinutes(5))
        .thresholds(80, 100).listener(listener).build();
  }

  @Test
  void finishedRequestIdsAreForgottenAfterTheWindow() {
    InMemoryLedger l = (InMemoryLedger) ledger;
    l.setLimit(TEAM, 100 * ROUBLE, Period.NONE);
    for (int i = 0; i < 10; i++) {
      l.reserve("r" + i, List.of(TEAM), ROUBLE);
      l.commit("r" + i, ROUBLE);
    }
    assertThat(l.remembered()).isEqualTo(10);
    l.reserve("open", List.of(TEAM), ROUBLE);
    // two windows later the finished ids are forgotten, the open reservation is not
    clock.advance(Duration.ofMinutes(6));
    l.reserve("x", List.of(TEAM), ROUBLE);
    clock.advance(Duration.ofMinutes(6));
    l.reserve("y", List.of(TEAM), ROUBLE);
    assertThat(l.remembered()).isEqualTo(3);
    assertThat(l.commit("open", ROUBLE).replayed()).isFalse();
  }
}
