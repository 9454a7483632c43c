package dev.kopeck.release;

import dev.kopeck.release.Project.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** With -Prelease: every published jar module has built its jar, sources jar and javadoc jar. */
final class ArtifactCheck {
  private ArtifactCheck() {}

  static List<String> problems(Project project) {
    List<String> problems = new ArrayList<>();
    for (Module m : project.published()) {
      if (!m.isJar()) {
        continue;
      }
      for (String suffix : List.of("", "-sources", "-javadoc")) {
        Path jar = m.dir().resolve("target").resolve(m.artifactId() + "-" + project.version() + suffix + ".jar");
        if (!Files.isRegularFile(jar)) {
          problems.add(m.artifactId() + ": no " + project.root.relativize(jar) + " (build with mvn -Prelease package)");
        }
      }
    }
    return problems;
  }
}
