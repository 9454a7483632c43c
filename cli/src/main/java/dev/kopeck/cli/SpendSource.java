package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import dev.kopeck.spend.SpendCalls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Where a spend log is read from: JSONL files, or PostgreSQL ({@code --from}); one of the two. */
final class SpendSource {
  @Option(names = "--from", paramLabel = "URL",
      description = "The spend log in PostgreSQL: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB.")
  String from;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "JSONL spend logs.")
  List<Path> files = new ArrayList<>();

  /** Refuses both or neither, and files that are not there. */
  SpendSource check() {
    if ((from == null) == files.isEmpty()) {
      throw new InputException(null, null, "give JSONL files or --from postgresql://…, one of the two");
    }
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new InputException(f.toString(), null, Files.isDirectory(f) ? "is a folder, not a file" : "no such file");
      }
    }
    return this;
  }

  boolean database() {
    return from != null;
  }

  /** {@code --from} as a JDBC URL, a user and a password. */
  String[] jdbc() {
    return jdbc(from);
  }

  /** The log's records, from the files, or from the database between {@code since} and {@code until} (null: open). */
  SpendCalls.Source records(java.time.Instant since, java.time.Instant until) {
    if (!database()) {
      return SpendCalls.files(files);
    }
    String[] j = jdbc();
    return SpendCalls.postgres(j[0], j[1], j[2], since, until);
  }

  /** postgresql://user:password@host:port/db as a JDBC URL, a user and a password. */
  static String[] jdbc(String url) {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      // the parser's message quotes the whole URL: its reason and index only
      throw new InputException(redact(url), "--from", "not a URL: " + (e.getCause() instanceof java.net.URISyntaxException
          s ? s.getReason() + " at index " + s.getIndex() : "malformed"));
    }
    if (!"postgresql".equals(u.getScheme()) && !"postgres".equals(u.getScheme()) || u.getHost() == null
        || u.getPath() == null || u.getPath().length() < 2) {
      throw new InputException(redact(url), "--from", "expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DB");
    }
    String user = null;
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] ui = u.getRawUserInfo().split(":", 2);
      user = java.net.URLDecoder.decode(ui[0], java.nio.charset.StandardCharsets.UTF_8);
      password = ui.length > 1 ? java.net.URLDecoder.decode(ui[1], java.nio.charset.StandardCharsets.UTF_8) : null;
    }
    return new String[] {"jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort())
        + u.getPath(), user, password};
  }

  /** The URL with its password starred: for errors. */
  static String redact(String url) {
    return dev.kopeck.base.Urls.redact(url);
  }
}
