package dev.kopeck.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without Node.js, the build's scripts stop with one line that names what to install. */
class BuildScriptsTest {
  static final Path BUILD = Path.of("../build").toAbsolutePath().normalize();

  @TempDir Path tmp;

  record Run(int exit, String stdout, String stderr) {}

  @Test
  void fetchingAPackageThatIsNotCachedWithoutNpmNamesWhatToInstall() throws Exception {
    Run run = withoutNode(List.of(BUILD.resolve("fetch-npm.sh").toString(), "tiktoken@1.0.22", "0".repeat(64),
        "package/package.json", tmp.resolve("out/package.json").toString()));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.stderr().lines()).singleElement().asString()
        .startsWith("kopeck build: npm is needed once to fetch tiktoken@1.0.22")
        .contains("install Node.js 20 or later with npm (apt-get install npm");
  }

  @Test
  void runningABuildScriptWithoutNodeNamesWhatToInstall() throws Exception {
    Run run = withoutNode(List.of(BUILD.resolve("node.sh").toString(), "kopeck-tariffs", "export.mjs"));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.stderr().lines()).singleElement().asString()
        .isEqualTo("kopeck build: kopeck-tariffs needs Node.js (node) to convert its data at build time:"
            + " install Node.js 20 or later (apt-get install nodejs, brew install node, or https://nodejs.org)");
  }

  /** Runs bash on the script with a PATH of the usual tools only (no node, no npm) and an empty cache. */
  private Run withoutNode(List<String> script) throws IOException, InterruptedException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String tool : List.of("bash", "sed", "awk", "mkdir", "dirname", "cut", "sha256sum", "tar", "mktemp", "rm",
        "mv", "cat", "printf")) {
      for (String dir : List.of("/usr/bin", "/bin")) {
        Path real = Path.of(dir, tool);
        if (Files.isExecutable(real) && !Files.exists(bin.resolve(tool))) {
          Files.createSymbolicLink(bin.resolve(tool), real);
        }
      }
    }
    List<String> command = new ArrayList<>(List.of(bin.resolve("bash").toString()));
    command.addAll(script);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("PATH", bin.toString());
    pb.environment().put("KOPECK_CACHE", tmp.resolve("cache").toString());
    pb.redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), Files.readString(tmp.resolve("stdout")), Files.readString(tmp.resolve("stderr")));
  }
}
