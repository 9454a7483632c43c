package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import dev.kopeck.spend.SpendCalls;
import dev.kopeck.spend.SpendFiles;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Where a spend log is read from, the same in {@code spend}, {@code report}, {@code reconcile} and
 * {@code budget rebuild}: JSONL files ({@code -} standard input, gzip read through), or
 * {@code --from} a PostgreSQL URL ({@code postgresql://} or {@code jdbc:postgresql://}) or a JSONL
 * file; one of the two.
 */
final class SpendSource {
  static final String FROM = "The spend log: in PostgreSQL (postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or"
      + " jdbc:postgresql://…), or a JSONL file (- for standard input).";

  @Option(names = "--from", paramLabel = "URL|FILE", description = FROM)
  String from;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "JSONL spend logs; - for standard input.")
  List<String> files = new ArrayList<>();

  InputStream stdin = System.in;

  /** Refuses both or neither, and files that are not there. */
  SpendSource check() {
    if ((from == null) == files.isEmpty()) {
      throw new InputException(null, null, "give JSONL files (- for standard input) or --from URL|FILE, one of the two");
    }
    if (from != null && !database() && from.matches("[A-Za-z][A-Za-z0-9+.:-]*://.*")) {
      throw new InputException(redact(from), "--from",
          "expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DB, jdbc:postgresql://HOST[:PORT]/DB or a JSONL file");
    }
    for (String f : inputs()) {
      if (f.equals("-")) {
        continue;
      }
      Path p = Path.of(f);
      if (!Files.isRegularFile(p)) {
        throw new InputException(f, null, Files.isDirectory(p) ? "is a folder, not a file" : "no such file");
      }
    }
    return this;
  }

  /** {@code --from} names a database, not a file. */
  boolean database() {
    return from != null && isUrl(from);
  }

  static boolean isUrl(String s) {
    return s.startsWith("postgresql:") || s.startsWith("postgres:") || s.startsWith("jdbc:postgresql:");
  }

  /** The JSONL inputs: the files, or --from's file. */
  List<String> inputs() {
    return from == null ? files : database() ? List.of() : List.of(from);
  }

  /** {@code --from} as a JDBC URL, a user and a password. */
  String[] jdbc() {
    return jdbc(from);
  }

  /** The log's records, from the files, or from the database between {@code since} and {@code until} (null: open). */
  SpendCalls.Source records(java.time.Instant since, java.time.Instant until) {
    if (!database()) {
      List<String> names = inputs().stream().map(Inputs::name).toList();
      return each -> SpendFiles.forEach(names, n -> Inputs.stream(n.equals(Inputs.name("-")) ? "-" : n, stdin), each);
    }
    String[] j = jdbc();
    return SpendCalls.postgres(j[0], j[1], j[2], since, until);
  }

  /**
   * postgresql://user:password@host:port/db as a JDBC URL, a user and a password; a
   * jdbc:postgresql:// URL as it is (its user and password, if any, in its query).
   */
  static String[] jdbc(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      if (!url.startsWith("jdbc:postgresql://")) {
        throw new InputException(null, "--from", "expected jdbc:postgresql://HOST[:PORT]/DB[?user=…]");
      }
      return new String[] {url, null, null};
    }
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
        + u.getPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()), user, password};
  }

  /** The URL with its password starred: for errors. */
  static String redact(String url) {
    return dev.kopeck.base.Urls.redact(url);
  }

  /**
   * A database's failure as one line that says what to do: its SQL state read (no table, no
   * database, refused password, no server), the driver's first line otherwise.
   */
  InputException databaseError(Exception e) {
    return databaseError(from, e);
  }

  /** As {@link #databaseError(Exception)}, for the database at {@code url} (named with its password starred). */
  static InputException databaseError(String url, Exception e) {
    SQLException sql = e instanceof SQLException s ? s : null;
    for (Throwable t = e; sql == null && t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        sql = s;
      }
    }
    String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
    String first = dev.kopeck.base.Urls.redactAll(String.valueOf((sql != null ? sql : e).getMessage()).lines()
        .findFirst().orElse("").strip());
    String what;
    if (state.equals("42P01")) {
      what = "the database has no spend log table (kopeck_spend_log): it is created when a SpendLog with a"
          + " PostgresSpendSink first writes to this database (docs/spend-log.md); check the URL's database";
    } else if (state.equals("3D000")) {
      what = first + ": check the database name in --from";
    } else if (state.startsWith("28")) {
      what = first + ": check the user and password in --from";
    } else if (state.startsWith("08")) {
      what = "no server answers at that host and port: is PostgreSQL running there?";
    } else {
      what = first;
    }
    String shown = url == null ? null : redact(url).replaceAll("(?i)(password=)[^&]*", "$1***");
    return new InputException(shown, "--from", "PostgreSQL: " + what, e);
  }
}
