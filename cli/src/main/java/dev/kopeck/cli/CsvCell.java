package dev.kopeck.cli;

/**
 * CSV cells (RFC 4180) safe to open in a spreadsheet: a cell holding a comma, a quote, CR or LF is
 * quoted (its quotes doubled), and a text cell starting with {@code = + - @}, TAB or CR is prefixed
 * with {@code '} so that no spreadsheet runs it as a formula (OWASP's CSV injection advice). Only
 * text that came from outside (an id, a model, a scope) goes through {@link #text}; the amounts and
 * counts Kopeck writes are numbers and stay as they are, a negative one too.
 */
final class CsvCell {
  private CsvCell() {}

  /** A text cell: defused, then quoted when it must be. */
  static String text(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    char first = s.charAt(0);
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
      s = "'" + s;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == '"' || c == '\n' || c == '\r') {
        return "\"" + s.replace("\"", "\"\"") + "\"";
      }
    }
    return s;
  }
}
