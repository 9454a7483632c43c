package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script the build writes: every command in it, and bash completing from it. */
class CompletionTest {
  @TempDir
  Path dir;

  @Test
  void bashCompletesCommandsAndOptions() throws Exception {
    Path script = dir.resolve("kopeck-completion.bash");
    Completion.main(new String[] {script.toString()});
    assertThat(Files.readString(script)).contains("local commands=\"count estimate fit cost reconcile budget spend"
        + " report models price catalog gateway help\"").contains("complete -F _complete_kopeck");
    Path bash = Path.of("/bin/bash");
    Assumptions.assumeTrue(Files.isExecutable(bash), "no bash to run the script in");
    String probe = "source '" + script + "' 2>/dev/null\n"
        + "COMP_WORDS=(kopeck sp); COMP_CWORD=1; COMP_LINE='kopeck sp'; COMP_POINT=${#COMP_LINE}\n"
        + "_complete_kopeck kopeck sp kopeck; echo \"1:${COMPREPLY[*]}\"\n"
        + "COMP_WORDS=(kopeck reconcile --cal); COMP_CWORD=2; COMP_LINE='kopeck reconcile --cal'; COMP_POINT=${#COMP_LINE}\n"
        + "_complete_kopeck kopeck --cal reconcile 2>/dev/null; echo \"2:${COMPREPLY[*]}\"\n";
    Process p = new ProcessBuilder(bash.toString(), "-c", probe).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("1:spend").contains("2:--calibration --calibrate");
  }
}
