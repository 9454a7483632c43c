package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** budget set-limit says what is wrong with a limit: its size or its decimals, before any connection. */
class BudgetLimitTest {
  @Test
  void aLimitTooLargeBlamesItsSizeNotItsDecimals() {
    CliTest.Result big = CliTest.run("budget", "set-limit", "--redis", "redis://127.0.0.1:1", "--limit",
        "99999999999", "team:a");
    assertThat(big.code()).isEqualTo(2);
    assertThat(big.err()).isEqualTo("kopeck budget set-limit: --limit: 99999999999 is more than a ledger holds: at"
        + " most 9223372036.854775806 (nano-units in a 64-bit count)" + System.lineSeparator());
    CliTest.Result fine = CliTest.run("budget", "set-limit", "--redis", "redis://127.0.0.1:1", "--limit",
        "1.0000000001", "team:a");
    assertThat(fine.err()).contains("--limit: not an amount with at most 9 decimals: 1.0000000001");
  }
}
