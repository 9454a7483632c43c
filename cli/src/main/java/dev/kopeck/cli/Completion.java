package dev.kopeck.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Writes the shell completion script of {@code kopeck} at build time ({@code cli/pom.xml}):
 * picocli's {@link AutoComplete} over the whole command tree, which {@link Main} builds only in part
 * at run time. The script is for bash, and for zsh after {@code autoload -U +X bashcompinit && bashcompinit}.
 */
public final class Completion {
  private Completion() {}

  /** {@code args[0]}: the file to write. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: Completion OUT.bash");
    }
    CommandLine cl = new CommandLine(Main.spec(new Main()));
    Main.addAll(cl);
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, AutoComplete.bash("kopeck", cl), StandardCharsets.UTF_8);
  }
}
