package dev.kopeck.base.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The names a mistyped one was probably meant to be, for "did you mean" in an error. */
public final class CloseNames {
  private CloseNames() {}

  /**
   * Up to {@code max} of {@code candidates} that contain {@code name}, are contained in it, or are
   * within 3 edits of it, ignoring case; the fewest edits first, then in the candidates' order.
   */
  public static List<String> among(String name, Iterable<String> candidates, int max) {
    String k = name.trim().toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    List<Integer> edits = new ArrayList<>();
    for (String c : candidates) {
      String ck = c.toLowerCase(Locale.ROOT);
      if (ck.isEmpty()) {
        continue;
      }
      int d = distance(ck, k);
      if (d <= 3 || ck.contains(k) || k.contains(ck)) {
        int at = 0;
        while (at < edits.size() && edits.get(at) <= d) {
          at++;
        }
        out.add(at, c);
        edits.add(at, d);
      }
    }
    return out.size() > max ? List.copyOf(out.subList(0, max)) : out;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
