package dev.kopeck.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table a person reads: a header row, each column as wide as its longest cell, text to the left,
 * counts to the right, amounts aligned on their decimal point; two spaces between columns, no
 * trailing blanks. The cells are given as strings, formatted already (a count with
 * {@link #count(long)}, an amount as its exact plain string): the table only lays them out.
 */
final class Table {
  /** How a column's cells sit. */
  enum Align {
    /** Text: to the left. */
    LEFT,
    /** Counts: to the right. */
    RIGHT,
    /** Amounts: their decimal points in one column, the integer parts to the right (words after a number follow it). */
    DECIMAL
  }

  private final String[] headers;
  private final Align[] aligns;
  private final List<String[]> rows = new ArrayList<>();

  private Table(String[] headers, Align[] aligns) {
    this.headers = headers;
    this.aligns = aligns;
  }

  /** A table of these columns: {@code "name", Align.LEFT, "calls", Align.RIGHT, ...}. */
  static Table of(Object... columns) {
    if (columns.length == 0 || columns.length % 2 != 0) {
      throw new IllegalArgumentException("columns come as header, alignment pairs: " + columns.length);
    }
    String[] h = new String[columns.length / 2];
    Align[] a = new Align[columns.length / 2];
    for (int i = 0; i < h.length; i++) {
      h[i] = (String) columns[2 * i];
      a[i] = (Align) columns[2 * i + 1];
    }
    return new Table(h, a);
  }

  /** A row; an empty or null cell is left blank. */
  Table row(String... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.length
          + " columns");
    }
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = cells[i] == null ? "" : cells[i];
    }
    rows.add(r);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  /** A count with thousands separators: "1,410". */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** The table, the header first, a line each row. */
  List<String> lines() {
    int n = headers.length;
    int[] intWidth = new int[n]; // DECIMAL: the widest part before the point; others: the widest cell
    int[] numWidth = new int[n]; // DECIMAL: the widest number's part from the point on (the header ends there)
    int[] fracWidth = new int[n]; // DECIMAL: the widest part from the point on, words after a number included
    int[] width = new int[n];
    for (int c = 0; c < n; c++) {
      for (String[] r : rows) {
        if (aligns[c] == Align.DECIMAL && !r[c].isEmpty()) {
          int p = point(r[c]);
          int space = r[c].indexOf(' ');
          intWidth[c] = Math.max(intWidth[c], p);
          numWidth[c] = Math.max(numWidth[c], (space < 0 || p == r[c].length() ? r[c].length() : space) - p);
          fracWidth[c] = Math.max(fracWidth[c], r[c].length() - p);
        } else {
          width[c] = Math.max(width[c], r[c].length());
        }
      }
      if (aligns[c] == Align.DECIMAL) {
        // a wide header or text cell: the numbers to the right under it
        intWidth[c] = Math.max(intWidth[c], Math.max(headers[c].length(), width[c]) - numWidth[c]);
        width[c] = intWidth[c] + fracWidth[c];
      } else {
        width[c] = Math.max(width[c], headers[c].length());
      }
    }
    List<String> out = new ArrayList<>(rows.size() + 1);
    out.add(line(headers, width, intWidth, numWidth, true));
    for (String[] r : rows) {
      out.add(line(r, width, intWidth, numWidth, false));
    }
    return out;
  }

  void print(PrintWriter out) {
    lines().forEach(out::println);
  }

  private String line(String[] cells, int[] width, int[] intWidth, int[] numWidth, boolean header) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        b.append("  ");
      }
      String s = cells[c];
      Align a = aligns[c];
      if (a == Align.LEFT) {
        b.append(s).append(" ".repeat(width[c] - s.length()));
      } else if (a == Align.DECIMAL && header) { // over the numbers, not the words after them
        String cell = " ".repeat(intWidth[c] + numWidth[c] - s.length()) + s;
        b.append(cell).append(" ".repeat(width[c] - cell.length()));
      } else if (a == Align.RIGHT || header || s.isEmpty()) {
        b.append(" ".repeat(width[c] - s.length())).append(s);
      } else {
        int p = point(s);
        String cell = " ".repeat(intWidth[c] - p) + s;
        b.append(cell).append(" ".repeat(width[c] - cell.length()));
      }
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == ' ') {
      end--;
    }
    return b.substring(0, end);
  }

  /**
   * Where the decimal point is, or the length for a whole number or a word ("none": it ends where the
   * units do); a number followed by words ("0.020446 RUB  (0.02 RUB rounded half-up)") sits on its number's point.
   */
  private static int point(String s) {
    int space = s.indexOf(' ');
    String n = space < 0 ? s : s.substring(0, space);
    if (!isNumber(n)) {
      return s.length();
    }
    int p = n.indexOf('.');
    return p < 0 ? n.length() : p;
  }

  private static boolean isNumber(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!(ch >= '0' && ch <= '9' || ch == '.' || ch == ',' || ch == '-' || ch == '+')) {
        return false;
      }
    }
    return !s.isEmpty();
  }
}
