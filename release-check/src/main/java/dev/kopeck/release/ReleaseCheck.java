package dev.kopeck.release;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The checks a release needs, which the build runs after every published module (docs/design/releasing.md):
 * {@code poms ROOT} (what Maven Central requires of each published POM), {@code api ROOT} (no API break that
 * CHANGELOG.md does not name) and {@code artifacts ROOT} (with -Prelease: the jar, sources and javadoc jars). Each
 * problem is one line on stderr; the first one fails the build.
 */
public final class ReleaseCheck {
  private ReleaseCheck() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ReleaseCheck poms|api|artifacts ROOT");
    }
    Path root = Path.of(args[1]).toAbsolutePath().normalize();
    Project project = Project.read(root);
    List<String> problems = switch (args[0]) {
      case "poms" -> PomCheck.problems(project);
      case "api" -> ApiCheck.problems(project, Files.readString(root.resolve("CHANGELOG.md")));
      case "artifacts" -> ArtifactCheck.problems(project);
      default -> throw new IllegalArgumentException("unknown check " + args[0] + ": poms, api or artifacts");
    };
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("[kopeck] " + p));
      String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more, above)" : "";
      throw new Failure(problems.get(0) + more);
    }
  }

  /** A failed check: its message is the whole story, so it carries no stack trace for Maven to print. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message, null, false, false);
    }
  }
}
