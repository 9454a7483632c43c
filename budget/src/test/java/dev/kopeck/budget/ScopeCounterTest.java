package dev.kopeck.budget;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScopeCounterTest {
  static final long LIMIT = 1_000_000;

  @Test
  void leasesNeverCauseARefusalTheLimitWouldAllow() {
    ScopeCounter c = new ScopeCounter(Scope.of("team:ml"), "all");
    c.inflate();
    // stripe 1 takes a little and keeps a lease of part of the rest
    assertThat(c.take(1_000, LIMIT, 1)).isTrue();
    assertThat(c.used()).isEqualTo(1_000);
    // stripe 0 asks for exactly what is left: granted once stripe 1's lease is recalled
    assertThat(c.take(LIMIT - 1_000, LIMIT, 0)).isTrue();
    assertThat(c.used()).isEqualTo(LIMIT);
    assertThat(c.take(1, LIMIT, 1)).isFalse();
    assertThat(c.left(LIMIT)).isZero();
  }

  @Test
  void commitsAndOverspendAreCountedExactlyAcrossStripes() {
    ScopeCounter c = new ScopeCounter(Scope.of("team:ml"), "all");
    c.inflate();
    assertThat(c.take(500, LIMIT, 0)).isTrue();
    assertThat(c.take(500, LIMIT, 1)).isTrue();
    c.spend(400, 500, 1); // reserved on stripe 0, committed on stripe 1: less than reserved
    c.spend(900, 500, 0); // overspend
    assertThat(c.spent()).isEqualTo(1_300);
    assertThat(c.used()).isEqualTo(1_300);
    c.giveBack(0, 0);
    assertThat(c.take(LIMIT - 1_300, LIMIT, 1)).isTrue();
    assertThat(c.take(1, LIMIT, 0)).isFalse();
  }

  @Test
  void unlimitedScopesAreNeverRefusedAndCountExactly() {
    ScopeCounter c = new ScopeCounter(Scope.of("team:ml"), "all");
    c.inflate();
    for (int i = 0; i < 4; i++) { // stripes 0 and 1 exist everywhere (at least two stripes)
      assertThat(c.take(Long.MAX_VALUE / 8, -1, i % 2)).isTrue();
    }
    assertThat(c.used()).isEqualTo(Long.MAX_VALUE / 8 * 4);
  }

  @Test
  void thresholdComparisonsDoNotOverflow() {
    assertThat(ScopeCounter.atLeast(Long.MAX_VALUE / 4, 80, Long.MAX_VALUE / 4)).isTrue();
    assertThat(ScopeCounter.atLeast(Long.MAX_VALUE / 4 - 1, 100, Long.MAX_VALUE / 4)).isFalse();
    assertThat(ScopeCounter.atLeast(80, 80, 100)).isTrue();
    assertThat(ScopeCounter.atLeast(79, 80, 100)).isFalse();
  }
}
