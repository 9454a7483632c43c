package dev.kopeck.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A break japicmp reported (Urls.redactAll made package-private), against changelogs that do and do not name it. */
class ApiCheckTest {
  static final String BREAK = "kopeck-base: dev.kopeck.base.Urls breaks the API of api/kopeck-base.jar"
      + " (METHOD_LESS_ACCESSIBLE): name dev.kopeck.base.Urls in CHANGELOG.md under ## [Unreleased], or undo the change";

  @TempDir Path root;

  @BeforeEach
  void project() throws IOException {
    Fixture.root(root, Fixture.METADATA, "base");
    Fixture.module(root, "base", "kopeck-base", "");
    Fixture.write(root.resolve("api/kopeck-base.jar"), "");
    try (InputStream in = ApiCheckTest.class.getResourceAsStream("/japicmp/urls-less-accessible.xml")) {
      Path report = root.resolve("base/" + ApiCheck.REPORT);
      Files.createDirectories(report.getParent());
      Files.copy(in, report);
    }
  }

  @Test
  void aBreakTheChangelogDoesNotNameFailsInOneLine() {
    String changelog = """
        # Changelog
        ## [Unreleased]
        ### Added
        - `dev.kopeck.base.UrlsMore`, and more on Urls in general.
        ## [0.1.0] - 2026-12-01
        - dev.kopeck.base.Urls
        """;

    assertThat(ApiCheck.problems(Project.read(root), changelog)).containsExactly(BREAK);
  }

  @Test
  void theSameBreakPassesOnceTheUnreleasedSectionNamesTheType() {
    String changelog = """
        # Changelog
        ## [Unreleased]
        ### Changed
        - **Breaking:** `dev.kopeck.base.Urls.redactAll` is no longer public.
        ## [0.1.0] - 2026-12-01
        """;

    assertThat(ApiCheck.problems(Project.read(root), changelog)).isEmpty();
  }

  @Test
  void aModuleWithoutBaselineSaysHowToMakeOne() throws IOException {
    Files.delete(root.resolve("api/kopeck-base.jar"));

    assertThat(ApiCheck.problems(Project.read(root), "")).containsExactly(
        "kopeck-base: no API baseline api/kopeck-base.jar: run build/api-baseline.sh");
  }

  @Test
  void aNestedTypeMayBeNamedWithADotOrADollar() {
    assertThat(ApiCheck.names("- `dev.kopeck.core.Model.Builder` removed", "dev.kopeck.core.Model$Builder")).isTrue();
    assertThat(ApiCheck.names("- dev.kopeck.core.Model$Builder removed", "dev.kopeck.core.Model$Builder")).isTrue();
    assertThat(ApiCheck.names("- dev.kopeck.core.Model removed", "dev.kopeck.core.Model$Builder")).isFalse();
  }
}
