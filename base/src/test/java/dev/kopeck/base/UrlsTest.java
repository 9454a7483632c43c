package dev.kopeck.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The redaction over the URL shapes the commands take: the secret is gone, the rest still says where. */
class UrlsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "redis://127.0.0.1:6379                                         | redis://127.0.0.1:6379",
      "redis://:s3cret@host:6379/2                                    | redis://:***@host:6379/2",
      "redis://s3cret@host:6379                                       | redis://***@host:6379",
      "redis://app:s3cret@host:6379                                   | redis://app:***@host:6379",
      "rediss://app:pa/ss@host:6380/1                                 | rediss://app:***@host:6380/1",
      "redis://app:pa?ss@host                                         | redis://app:***@host",
      "redis://app:pa#ss@host                                         | redis://app:***@host",
      "redis://app:p@ss@host:6379                                     | redis://app:***@host:6379",
      "redis://app:p/@?#w@host                                        | redis://app:***@host",
      "redis://a/b:secret@host                                        | redis://***@host",
      "postgresql://app:s3cret@db:5432/billing                        | postgresql://app:***@db:5432/billing",
      "postgresql://app@db:5432/billing?password=s3cret               | postgresql://***@db:5432/billing?password=***",
      "postgresql://db:5432/billing?user=app&password=s3cret&ssl=true | postgresql://db:5432/billing?user=app&password=***&ssl=true",
      "postgres://db/billing?sslmode=require&sslpassword=k3y          | postgres://db/billing?sslmode=require&sslpassword=***",
      "jdbc:postgresql://db:5432/billing?user=app&password=s3cret     | jdbc:postgresql://db:5432/billing?user=app&password=***",
      "jdbc:postgresql://db/billing?PASSWORD=s3cret                   | jdbc:postgresql://db/billing?PASSWORD=***",
      "jdbc:postgresql://app:s3cret@db/billing                        | jdbc:postgresql://app:***@db/billing",
      "jdbc:sqlserver://db:1433;databaseName=x;password=s3cret        | jdbc:sqlserver://db:1433;databaseName=x;password=***",
      "https://api.example.com/v1?api_key=s3cret&model=x              | https://api.example.com/v1?api_key=***&model=x",
      "https://api.example.com/v1?token=s3cret#frag                   | https://api.example.com/v1?token=***#frag",
      "postgresql://db/billing?email=a@b.com&password=s3cret          | postgresql://***@b.com&password=***",
      "not a url                                                      | not a url",
  })
  void aUrlLosesItsSecrets(String url, String shown) {
    assertThat(Urls.redact(url)).isEqualTo(shown).doesNotContain("s3cret").doesNotContain("k3y");
  }

  @Test
  void everyUrlInATextIsRedacted() {
    String text = "cannot connect to redis://app:pa/ss@host:6379 (Connection refused); retried"
        + " jdbc:postgresql://db/x?password=s3cret, \"postgresql://u:s3cret@db/y\"";
    assertThat(Urls.redactAll(text)).isEqualTo("cannot connect to redis://app:***@host:6379 (Connection refused);"
        + " retried jdbc:postgresql://db/x?password=***, \"postgresql://u:***@db/y\"");
  }
}
