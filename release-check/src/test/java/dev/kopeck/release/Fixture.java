package dev.kopeck.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A project of POM files in a temporary folder, written as the tests need them. */
final class Fixture {
  static final String METADATA = """
      <url>https://kopeck.dev</url>
      <licenses><license><name>Apache-2.0</name><url>https://www.apache.org/licenses/LICENSE-2.0.txt</url></license></licenses>
      <developers><developer><name>The Kopeck maintainers</name></developer></developers>
      <scm child.scm.connection.inherit.append.path="false" child.scm.developerConnection.inherit.append.path="false"
           child.scm.url.inherit.append.path="false">
        <connection>scm:git:https://github.com/kopeck-dev/kopeck.git</connection>
        <developerConnection>scm:git:ssh://git@github.com/kopeck-dev/kopeck.git</developerConnection>
        <url>https://github.com/kopeck-dev/kopeck</url>
      </scm>
      """;

  private Fixture() {}

  /** A root POM (kopeck-parent) stating {@code metadata}, with the modules of the given folders. */
  static void root(Path root, String metadata, String... modules) throws IOException {
    StringBuilder list = new StringBuilder();
    for (String m : modules) {
      list.append("<module>").append(m).append("</module>");
    }
    write(root.resolve("pom.xml"), """
        <project child.project.url.inherit.append.path="false">
          <groupId>dev.kopeck</groupId><artifactId>kopeck-parent</artifactId><version>1.0</version>
          <packaging>pom</packaging><name>Kopeck</name><description>d</description>
          %s
          <modules>%s</modules>
        </project>
        """.formatted(metadata, list));
  }

  /** A module that inherits from kopeck-parent; {@code more} goes inside its project element. */
  static void module(Path root, String dir, String artifactId, String more) throws IOException {
    write(root.resolve(dir).resolve("pom.xml"), """
        <project>
          <parent><groupId>dev.kopeck</groupId><artifactId>kopeck-parent</artifactId><version>1.0</version></parent>
          <artifactId>%s</artifactId><name>%s</name><description>d</description>
          %s
        </project>
        """.formatted(artifactId, artifactId, more));
  }

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
