package dev.kopeck.pricing.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kopeck.base.InputException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dated rates that the user supplies: the latest on or before the day, either way round. */
class ExchangeRatesTest {
  static final Currency USD = Currency.getInstance("USD");
  static final Currency RUB = Currency.getInstance("RUB");

  @Test
  void theLatestRateOnOrBeforeTheDayEitherWayRound(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("rates.json");
    Files.writeString(f, """
        {"rates": [{"date": "2026-08-01", "from": "USD", "to": "RUB", "rate": "90"},
                   {"date": "2026-08-21", "from": "USD", "to": "RUB", "rate": "92.5"}]}""");
    ExchangeRates r = ExchangeRates.read(f);
    assertThat(r.rate(USD, RUB, Instant.parse("2026-07-31T23:59:59Z"))).isEmpty();
    assertThat(r.rate(USD, RUB, Instant.parse("2026-08-20T12:00:00Z")).orElseThrow().rate()).isEqualByComparingTo("90");
    ExchangeRates.Rate at = r.rate(USD, RUB, Instant.parse("2026-08-21T00:00:00Z")).orElseThrow();
    assertThat(at.rate()).isEqualByComparingTo("92.5");
    assertThat(at.convert(new BigDecimal("0.02"))).isEqualTo(Money.of("1.85", "RUB"));
    // the other way round: inverted, to 34 digits
    assertThat(r.rate(RUB, USD, Instant.parse("2026-08-21T00:00:00Z")).orElseThrow().rate())
        .isEqualByComparingTo("0.01081081081081081081081081081081081");
  }

  @Test
  void aBadFileNamesThePlace(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("rates.json");
    Files.writeString(f, "{\"rates\": [{\"date\": \"2026-08-21\", \"from\": \"USD\", \"to\": \"RUR\", \"rate\": \"0\"}]}");
    assertThatThrownBy(() -> ExchangeRates.read(f)).isInstanceOf(InputException.class)
        .hasMessage(f + ": $.rates[0].rate: an exchange rate must be positive: 0");
    Files.writeString(f, "{\"rates\": [{\"date\": \"2026-08-21\", \"from\": \"USD\", \"to\": \"RUX\", \"rate\": \"1\"}]}");
    assertThatThrownBy(() -> ExchangeRates.read(f)).hasMessage(f + ": $.rates[0].to: not an ISO 4217 currency code: \"RUX\"");
  }
}
