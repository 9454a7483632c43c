package dev.kopeck.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PomCheckTest {
  @TempDir Path root;

  @Test
  void everyPublishedModuleOfThisRepositoryHasWhatCentralRequires() {
    Project project = Project.read(Path.of("..").toAbsolutePath().normalize());

    assertThat(project.published()).extracting(Project.Module::artifactId)
        .contains("kopeck-parent", "kopeck-bom", "kopeck-core", "kopeck-tariffs")
        .doesNotContain("kopeck-cli", "kopeck-bench", "kopeck-http-testkit", "kopeck-release-check");
    assertThat(PomCheck.problems(project)).isEmpty();
  }

  @Test
  void aModuleInheritsWhatItsParentStates() throws IOException {
    Fixture.root(root, Fixture.METADATA, "a");
    Fixture.module(root, "a", "kopeck-a", "");

    assertThat(PomCheck.problems(Project.read(root))).isEmpty();
  }

  @Test
  void eachMissingElementIsOneLineNamingTheModuleAndItsFile() throws IOException {
    Fixture.root(root, "<url>https://kopeck.dev</url>", "a");
    Fixture.module(root, "a", "kopeck-a", "");

    assertThat(PomCheck.problems(Project.read(root))).contains(
        "kopeck-a (a/pom.xml): no licenses",
        "kopeck-a (a/pom.xml): no developers (each with a name)",
        "kopeck-a (a/pom.xml): no scm connection",
        "kopeck-a (a/pom.xml): no scm developerConnection",
        "kopeck-a (a/pom.xml): no scm url");
  }

  @Test
  void anUnpublishedModuleNeedsNothing() throws IOException {
    Fixture.root(root, Fixture.METADATA, "a");
    Fixture.write(root.resolve("a/pom.xml"), """
        <project><artifactId>kopeck-a</artifactId>
          <properties><maven.deploy.skip>true</maven.deploy.skip></properties></project>
        """);

    assertThat(PomCheck.problems(Project.read(root))).isEmpty();
  }

  @Test
  void aPublishedModuleMustBeInTheBomAndBeforeTheCheck() throws IOException {
    Fixture.root(root, Fixture.METADATA, "a", "bom", "release-check");
    Fixture.module(root, "a", "kopeck-a", "");
    Fixture.module(root, "bom", "kopeck-bom", "<version>1.0</version><packaging>pom</packaging>");
    Fixture.module(root, "release-check", "kopeck-release-check",
        "<properties><maven.deploy.skip>true</maven.deploy.skip></properties>");

    assertThat(PomCheck.problems(Project.read(root))).containsExactly(
        "kopeck-a is published but not in kopeck-bom: add it to bom/pom.xml's dependencyManagement",
        "kopeck-a is published but kopeck-release-check does not depend on it (so may be built before it):"
            + " add it to release-check/pom.xml");
  }

  @Test
  void aModuleWithDataUnderItsOwnLicencesCarriesANotice() throws IOException {
    Fixture.root(root, Fixture.METADATA, "a");
    Fixture.module(root, "a", "kopeck-a",
        "<licenses><license><name>MIT</name><url>https://example.org/LICENSE</url></license></licenses>");

    assertThat(PomCheck.problems(Project.read(root))).containsExactly(
        "kopeck-a (a/pom.xml): lists licences of its own (bundled data) but its jar has no META-INF/NOTICE:"
            + " add src/main/resources/META-INF/NOTICE");
  }
}
