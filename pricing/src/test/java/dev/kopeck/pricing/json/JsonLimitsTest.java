package dev.kopeck.pricing.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.junit.jupiter.api.Test;

/** Issue 19 #10: a valid request with 22 MB of base64 was called malformed (Jackson's 20 M default). */
class JsonLimitsTest {
  @Test
  void aTwentyTwoMegabyteStringIsRead() {
    String audio = "A".repeat(22 << 20);
    assertThat(Json.parse("r.json", "{\"data\":\"" + audio + "\"}").get("data").textValue()).hasSize(22 << 20);
  }

  @Test
  void aStringOverTheLimitIsSaidInTheUsersWords() {
    StreamConstraintsException e = new StreamConstraintsException("String value length (134217729) exceeds the"
        + " maximum allowed (134217728, from `StreamReadConstraints.getMaxStringLength()`)");
    assertThat(Json.plain(e)).isEqualTo("a string of more than 134217728 characters (134217729 read so far); the"
        + " limit is set with -Dkopeck.json.maxStringChars");
  }

  @Test
  void aNumberBeyondAnyDecimalIsRefusedNotACrash() {
    // found by CliFuzzTest (seed 7): Jackson throws a bare NumberFormatException for it
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.parse("r.json", "{\"n\":1e9223372036854775808}"))
        .isInstanceOf(dev.kopeck.base.InputException.class)
        .hasMessage("r.json: a number out of any range: 1e9223372036854775808");
  }
}
