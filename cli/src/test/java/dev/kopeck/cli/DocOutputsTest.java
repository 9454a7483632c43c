package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of what a command prints, in the README and docs/, is what it prints: a ```text
 * block whose first line is {@code $ kopeck ARGS} (or {@code $ java -jar cli/target/kopeck.jar ARGS})
 * is run from the repository's root and its output compared line by line (a later {@code $ kopeck}
 * line in the block starts another example). A line of the block that
 * ends in "..." stands for a line that starts with what comes before it. {@code --html OUT} writes to a
 * temporary folder. A block whose first output line starts with {@code kopeck COMMAND:} shows a
 * refusal: the command exits 2 and that line is its standard error.
 */
class DocOutputsTest {
  private static final Pattern BLOCK = Pattern.compile("(?m)^([ \\t]*)```text\\n(.*?)^[ \\t]*```", Pattern.DOTALL);
  private static final Pattern COMMAND = Pattern.compile("^\\$ (?:kopeck|java -jar cli/target/kopeck\\.jar) (.*)$");

  @TempDir
  Path dir;

  static Stream<Arguments> examples() throws IOException {
    List<Path> files = new ArrayList<>(List.of(Path.of("../README.md")));
    try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Arguments> out = new ArrayList<>();
    for (Path f : files) {
      String md = Files.readString(f, StandardCharsets.UTF_8);
      Matcher m = BLOCK.matcher(md);
      while (m.find()) {
        String indent = m.group(1);
        List<String> lines = m.group(2).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
            .toList();
        if (lines.isEmpty() || !COMMAND.matcher(lines.get(0)).matches()) {
          continue;
        }
        // each "$ kopeck" line starts an example; the lines up to the next are what it prints
        for (int start = 0; start < lines.size(); ) {
          int end = start + 1;
          while (end < lines.size() && !COMMAND.matcher(lines.get(end)).matches()) {
            end++;
          }
          Matcher c = COMMAND.matcher(lines.get(start));
          assertThat(c.matches()).isTrue();
          out.add(Arguments.of(f.getFileName() + ": " + lines.get(start), c.group(1), lines.subList(start + 1, end)));
          start = end;
        }
      }
    }
    assertThat(out).as("examples found").hasSizeGreaterThanOrEqualTo(4);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void printsWhatTheDocsSay(String where, String command, List<String> expected) {
    String[] args = command.split(" ");
    String htmlName = null;
    for (int i = 0; i < args.length; i++) {
      if (i > 0 && args[i - 1].equals("--html")) {
        htmlName = args[i];
        args[i] = dir.resolve(args[i]).toString();
      } else if (i > 0 && !args[i].startsWith("-") && Files.isRegularFile(Path.of("..", args[i]))) {
        args[i] = Path.of("..", args[i]).toString(); // the docs' paths are from the repository's root
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    boolean refusal = !expected.isEmpty() && expected.get(0).startsWith("kopeck " + args[0] + ":");
    String printed = refusal ? err.toString() : out.toString();
    if (htmlName != null) {
      printed = printed.replace(dir.resolve(htmlName).toString(), htmlName);
    }
    for (String a : args) {
      if (a.startsWith("../")) {
        printed = printed.replace(a, a.substring(3)); // the docs' paths, as the docs give them
      }
    }
    assertThat(code).as(where + ": " + err).isEqualTo(refusal ? 2 : 0);
    if (refusal) {
      assertThat(out.toString()).as(where + ": nothing on standard output").isEmpty();
    }
    List<String> actual = printed.lines().toList();
    assertThat(actual).as(where).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      String e = expected.get(i);
      if (e.endsWith("...")) {
        assertThat(actual.get(i)).as(where + ", line " + (i + 2)).startsWith(e.substring(0, e.length() - 3));
      } else {
        assertThat(actual.get(i)).as(where + ", line " + (i + 2)).isEqualTo(e);
      }
    }
    assertThat(Arrays.asList(args)).isNotEmpty();
  }
}
