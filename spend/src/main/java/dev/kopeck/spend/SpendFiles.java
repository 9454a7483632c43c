package dev.kopeck.spend;

import dev.kopeck.base.InputException;
import dev.kopeck.core.reconcile.CallIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** JSONL spend logs read back: a line at a time, the first record of each request and event kept. */
public final class SpendFiles {
  private SpendFiles() {}

  /** Opens a named input (a file, standard input) as bytes: {@link #forEach(List, Opener, Consumer)} reads it. */
  @FunctionalInterface
  public interface Opener {
    InputStream open(String name) throws IOException;
  }

  /**
   * Gives each record of {@code files}, in order, to {@code each}; a record of a request and event
   * seen before (a batch written twice) is skipped. Keeps a 64-bit hash of each request and event.
   *
   * @throws InputException a line that is not a spend record, with its file and line
   */
  public static void forEach(List<Path> files, Consumer<SpendRecord> each) throws IOException {
    forEach(files.stream().map(Path::toString).toList(), name -> Files.newInputStream(Path.of(name)), each);
  }

  /**
   * As {@link #forEach(List, Consumer)}, for inputs that {@code open} gives by name (standard input
   * among files, a gzip stream): each is named by its name in errors, and closed after.
   */
  public static void forEach(List<String> names, Opener open, Consumer<SpendRecord> each) throws IOException {
    CallIds seen = new CallIds();
    for (String f : names) {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(open.open(f), StandardCharsets.UTF_8
          .newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)), 1 << 16)) {
        String line;
        long n = 0;
        while ((line = in.readLine()) != null) {
          n++;
          if (line.isBlank()) {
            continue;
          }
          SpendRecord r;
          try {
            r = SpendJson.parse(line);
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String why = e.getOriginalMessage();
            int cut = why.indexOf(" (");
            throw new InputException(f, "line " + n, "not a spend record: not valid JSON: "
                + (cut > 0 ? why.substring(0, cut) : why).replace('\n', ' '));
          } catch (IOException | RuntimeException e) {
            throw new InputException(f, "line " + n, "not a spend record: " + e.getMessage());
          }
          if (seen.add(r.requestId() + "\u0000" + r.event())) {
            each.accept(r);
          }
        }
      }
    }
  }
}
