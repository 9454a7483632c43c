package dev.kopeck.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Request ids and scope names checked at the door, and the short quotes of what is refused. */
class RequestIdsTest {
  @ParameterizedTest
  @ValueSource(strings = {"req-1", "tenant:acme/req-1", "ключ-запроса", "id with spaces", "😀 emoji"})
  void printableIdsUpTo255CharactersPass(String id) {
    assertThat(RequestIds.problem(id)).isNull();
    assertThat(RequestIds.problem("x".repeat(255))).isNull();
  }

  @Test
  void longOddOrEmptyIdsAreRefusedWithAShortQuote() {
    String huge = "k".repeat(3000);
    assertThat(RequestIds.problem(huge)).contains("at most 255 characters, not 3000").hasSizeLessThan(200);
    assertThat(RequestIds.problem("nul\u0000id")).contains("U+0000 at character 3").contains("\\u0000");
    assertThat(RequestIds.problem("two\nlines")).contains("U+000A");
    assertThat(RequestIds.problem("lone \uD800 surrogate")).contains("lone surrogate");
    assertThat(RequestIds.problem("")).contains("empty");
    assertThatThrownBy(() -> InMemoryLedger.builder().build().reserve(huge, java.util.List.of(Scope.of("team:a")), 1))
        .isInstanceOf(IllegalArgumentException.class).message().hasSizeLessThan(200);
  }

  @Test
  void aMegabyteScopeNamesErrorCarriesAShortPrefix() {
    String name = "s".repeat(1 << 20);
    assertThatThrownBy(() -> Scope.of(name)).isInstanceOf(IllegalArgumentException.class).message()
        .contains("1048576").hasSizeLessThan(200);
    assertThatThrownBy(() -> Scope.of("team:\u0007bell")).message().contains("U+0007").hasSizeLessThan(200);
  }
}
