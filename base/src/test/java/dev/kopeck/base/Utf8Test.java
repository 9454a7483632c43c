package dev.kopeck.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void decodesAndDropsTheByteOrderMark() {
    byte[] b = "\uFEFFпривет".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.decode("f", b)).isEqualTo("привет");
  }

  @Test
  void namesTheOffsetOfTheFirstBadByte() {
    byte[] b = {'a', 'b', (byte) 0xD0, (byte) 0xBF, (byte) 0xFF, 'c'};
    assertThatThrownBy(() -> Utf8.decode("x.txt", b))
        .isInstanceOf(InputException.class)
        .hasMessage("x.txt: byte 4: not valid UTF-8 (1 bad byte starting 0xFF)");
  }

  @Test
  void aTruncatedSequenceAtTheEndIsAnError() {
    byte[] b = {'a', (byte) 0xD0};
    assertThatThrownBy(() -> Utf8.decode("x", b)).isInstanceOf(InputException.class).hasMessageContaining("byte 1");
  }
}
