package dev.kopeck.pricing.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {
  static final Currency RUB = Currency.getInstance("RUB");

  @Test
  void equalityIgnoresScale() {
    assertThat(Money.of("0.10", "RUB")).isEqualTo(Money.of("0.1", "RUB"));
    assertThat(Money.of("0.000", "RUB")).isEqualTo(Money.zero(RUB));
  }

  @Test
  void nanosRoundTrip() {
    assertThat(Money.of("0.000015", "RUB").toNanosExact()).isEqualTo(15_000);
    assertThat(Money.ofNanos(1, RUB).toPlainString()).isEqualTo("0.000000001");
    assertThat(Money.ofNanos(Long.MAX_VALUE, RUB).toNanosExact()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void exactNanosRefusesToRound() {
    assertThatThrownBy(() -> Money.of("0.0000000015", "RUB").toNanosExact())
        .isInstanceOf(ArithmeticException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "0.0000000015, CEILING, 2",
    "0.0000000015, FLOOR, 1",
    "0.0000000015, HALF_EVEN, 2",
    "0.0000000025, HALF_EVEN, 2",
    "-0.0000000015, CEILING, -1",
  })
  void roundedNanos(String amount, RoundingMode mode, long nanos) {
    assertThat(Money.of(amount, "RUB").toNanos(mode)).isEqualTo(nanos);
  }

  @Test
  void nanosOverflowIsAnError() {
    Money huge = Money.of(new BigDecimal("10000000000"), RUB); // 1e10 roubles = 1e19 nanos > Long.MAX_VALUE
    assertThatThrownBy(() -> huge.toNanos(RoundingMode.CEILING)).isInstanceOf(ArithmeticException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "0.045, 0.05 RUB",
    "0.044999, 0.04 RUB",
    "0.005, 0.01 RUB",
    "1.025316, 1.03 RUB",
    "0, 0.00 RUB",
  })
  void displayRoundsHalfUpToKopecks(String amount, String shown) {
    assertThat(Money.of(amount, "RUB").display()).isEqualTo(shown);
  }

  @Test
  void displayUsesTheCurrencysMinorUnit() {
    assertThat(Money.of("12.5", "JPY").display()).isEqualTo("13 JPY");
    assertThat(Money.of("0.0015", "USD").display()).isEqualTo("0.00 USD");
  }

  @Test
  void currenciesDoNotMix() {
    assertThatThrownBy(() -> Money.of("1", "RUB").plus(Money.of("1", "USD")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RUB").hasMessageContaining("USD");
  }

  @Test
  void plainStringHasNoExponent() {
    assertThat(Money.of("1E-7", "RUB").toPlainString()).isEqualTo("0.0000001");
    assertThat(Money.of("1E+3", "RUB").toPlainString()).isEqualTo("1000");
  }
}
