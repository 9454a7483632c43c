package dev.kopeck.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.reconcile.Reconciler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard's limits at the door and on the way back, without a client around it. */
class HttpChatGuardLimitsTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-10T12:00:00Z"), ZoneOffset.UTC);
  static final Scope TEAM = Scope.of("team:ml");
  static final String MODEL = "google/gemini-2.0-flash-001";

  final InMemoryLedger ledger = InMemoryLedger.builder().clock(CLOCK).build();
  final List<String> told = new ArrayList<>();
  final List<Charge> charges = new ArrayList<>();

  HttpChatGuard guard(HttpChatGuard.Limits limits) {
    ledger.setLimit(TEAM, 1_000_000_000L, BudgetPeriod.MONTH);
    Estimator est = Estimator.builder().clock(CLOCK).build();
    BudgetGuard g = new BudgetGuard(est, Reconciler.builder().estimator(est).clock(CLOCK).build(), ledger, CLOCK)
        .withListener(new GuardListener() {
          @Override
          public void committed(Charge c, boolean estimated) {
            charges.add(c);
            told.add("committed" + (estimated ? " estimated" : ""));
          }
        });
    return new HttpChatGuard(g, limits);
  }

  static String chat(int maxTokens) {
    return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + maxTokens + ",\"stream\":true,\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"Tell me a long story.\"}]}";
  }

  @Test
  void aRequestPastMaxRequestBytesIsAnswered413() {
    HttpChatGuard g = guard(HttpChatGuard.Limits.DEFAULTS.withMaxRequestBytes(1024));
    String big = chat(10).replace("Tell me a long story.", "x".repeat(2000));
    HttpChatGuard.Start s = g.start(big, null, () -> List.of(TEAM));
    assertThat(s).isInstanceOfSatisfying(HttpChatGuard.Answer.class, a -> {
      assertThat(a.status()).isEqualTo(413);
      assertThat(a.body()).contains("kopeck_request_too_large");
    });
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  @Test
  void aBadRequestIdIsAnswered400BeforeAReserve() {
    HttpChatGuard.Start s = guard(HttpChatGuard.Limits.DEFAULTS).start(chat(10), "a\u0000b", () -> List.of(TEAM));
    assertThat(s).isInstanceOfSatisfying(HttpChatGuard.Answer.class, a -> {
      assertThat(a.status()).isEqualTo(400);
      assertThat(a.body()).contains("kopeck_invalid_request_id");
    });
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** A stream of a million words without usage: counted a piece at a time, committed at max_tokens. */
  @Test
  void aLongStreamWithoutUsageIsCountedUpToMaxTokens() {
    HttpChatGuard.Call c = (HttpChatGuard.Call) guard(HttpChatGuard.Limits.DEFAULTS).start(chat(500), "s-1",
        () -> List.of(TEAM));
    byte[] chunk = ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "word ".repeat(200) + "\"}}]}\n\n")
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 1000; i++) {
      c.pass(ByteBuffer.wrap(chunk));
    }
    c.finish();
    assertThat(told).containsExactly("committed estimated");
    assertThat(charges.get(0).reconciliation().usage().outputTokens()).isEqualTo(500);
    assertThat(ledger.status(TEAM).reservedNanos()).isZero();
  }

  /** A short stream without usage: its text counted as before, well under max_tokens. */
  @Test
  void aShortStreamWithoutUsageCountsItsText() {
    HttpChatGuard.Call c = (HttpChatGuard.Call) guard(HttpChatGuard.Limits.DEFAULTS).start(chat(500), "s-2",
        () -> List.of(TEAM));
    c.pass(ByteBuffer.wrap(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there, friend.\"}}]}\n\n"
        + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8)));
    c.finish();
    assertThat(told).containsExactly("committed estimated");
    assertThat(charges.get(0).reconciliation().usage().outputTokens()).isBetween(3L, 12L);
  }
}
