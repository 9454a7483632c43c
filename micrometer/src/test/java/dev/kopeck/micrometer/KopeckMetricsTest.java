package dev.kopeck.micrometer;

import static dev.kopeck.testkit.GuardedClientContract.ANSWER;
import static dev.kopeck.testkit.GuardedClientContract.CLOCK;
import static dev.kopeck.testkit.GuardedClientContract.MODEL;
import static dev.kopeck.testkit.GuardedClientContract.TEAM;
import static dev.kopeck.testkit.GuardedClientContract.chat;
import static dev.kopeck.testkit.GuardedClientContract.guard;
import static dev.kopeck.testkit.GuardedClientContract.sse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.core.guard.HttpChatGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The meters, fed by the guard as every HTTP integration drives it (HttpChatGuard, the part the
 * OkHttp and JDK clients share; their own tests run it against a real server), with the real
 * ledger, tariff and vocabularies.
 */
class KopeckMetricsTest {
  InMemoryLedger ledger;
  SimpleMeterRegistry registry;
  HttpChatGuard calls;

  @BeforeEach
  void setUp() {
    ledger = InMemoryLedger.builder().clock(CLOCK).build();
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    registry = new SimpleMeterRegistry();
    calls = new HttpChatGuard(guard(ledger).withListener(new KopeckMetrics(registry)));
  }

  /** A call answered {@code status} with {@code answer} (a JSON body, or an event stream if the request streams). */
  int post(String request, int status, String answer) {
    HttpChatGuard.Start s = calls.start(request, null, () -> List.of(TEAM));
    if (s instanceof HttpChatGuard.Answer a) {
      return a.status();
    }
    HttpChatGuard.Call c = (HttpChatGuard.Call) s;
    if (c.answered(status)) {
      if (c.stream()) {
        answer.lines().forEach(c::line);
        c.ended();
      } else {
        c.completed(answer);
      }
    }
    return status;
  }

  double tokens(String type, String kind, String usage) {
    var c = registry.find("kopeck.tokens").tags(KopeckMetrics.MODEL, MODEL, KopeckMetrics.PROVIDER, "routerai",
        KopeckMetrics.TOKEN_TYPE, type, KopeckMetrics.TOKEN_KIND, kind, KopeckMetrics.USAGE, usage).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void tokensCostAndEstimateErrorOfEachCall() throws Exception {
    post(chat(100, false), 200, ANSWER.replace("\"total_tokens\":1200",
        "\"total_tokens\":1200,\"prompt_tokens_details\":{\"cached_tokens\":400},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":50}"));
    post(chat(100, true), 200, sse(false));

    assertThat(tokens("input", "uncached", "reported")).isEqualTo(600);
    assertThat(tokens("input", "cache_read", "reported")).isEqualTo(400);
    assertThat(tokens("output", "text", "reported")).isEqualTo(150);
    assertThat(tokens("output", "reasoning", "reported")).isEqualTo(50);
    assertThat(tokens("input", "uncached", "estimated")).isPositive(); // the stream without usage
    assertThat(registry.find("kopeck.cost").tags(KopeckMetrics.CURRENCY, "RUB").counter().count()).isPositive();
    var ratio = registry.find("kopeck.estimate.ratio").tags(KopeckMetrics.MODEL, MODEL).summary();
    assertThat(ratio.count()).isEqualTo(1); // the reported call only: the estimated one has nothing to compare
    assertThat(ratio.max()).isBetween(0.001, 0.1); // a short prompt, reported as 1000 tokens
    assertThat(registry.get("kopeck.reservations.open").gauge().value()).isZero();
  }

  @Test
  void refusalsReleasesAndOpenReservations() throws Exception {
    post(chat(100, false), 500, "{}");
    ledger.setLimit(TEAM, 1_000L, BudgetPeriod.MONTH);
    assertThat(post(chat(100, false), 200, ANSWER)).isEqualTo(402);
    assertThat(registry.get("kopeck.releases").counter().count()).isEqualTo(1);
    assertThat(registry.get("kopeck.refusals").tag(KopeckMetrics.MODEL, MODEL).counter().count()).isEqualTo(1);
    assertThat(registry.get("kopeck.reservations.open").gauge().value()).isZero();
  }

  @Test
  void overspendIsCountedInTheBudgetsCurrency() throws Exception {
    // an answer longer than max_tokens allowed: 1000 out where 10 were reserved
    post(chat(10, false), 200, ANSWER.replace("\"completion_tokens\":200", "\"completion_tokens\":1000")
        .replace("\"total_tokens\":1200", "\"total_tokens\":2000"));
    var overspend = registry.get("kopeck.overspend").tag(KopeckMetrics.CURRENCY, "RUB").counter();
    assertThat(overspend.count()).isPositive();
  }

  @Test
  void eachCallAddsToTheMetersOfTheFirstAndACountOfZeroRegistersNone() throws Exception {
    post(chat(100, false), 200, ANSWER);
    post(chat(100, false), 200, ANSWER);
    post(chat(100, false), 500, "{}");
    post(chat(100, false), 500, "{}");

    assertThat(tokens("input", "uncached", "reported")).isEqualTo(2000);
    assertThat(tokens("output", "text", "reported")).isEqualTo(400);
    assertThat(registry.find("kopeck.tokens").counters()).hasSize(2); // no cache, no reasoning, nothing estimated
    assertThat(registry.get("kopeck.cost").counters()).hasSize(1);
    assertThat(registry.get("kopeck.estimate.ratio").summary().count()).isEqualTo(2);
    assertThat(registry.get("kopeck.releases").counter().count()).isEqualTo(2);
    assertThat(registry.find("kopeck.commit.failures").counters()).isEmpty();
  }
}
