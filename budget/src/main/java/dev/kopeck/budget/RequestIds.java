package dev.kopeck.budget;

/**
 * What a request id may be, checked at the door before anything is reserved: 1 to {@value #MAX_LENGTH}
 * characters of printable text (Stripe's limit for idempotency keys), no control character and no
 * lone surrogate. Every ledger checks it; an HTTP integration checks a caller's idempotency key with
 * it and answers 400. A message quotes a value through {@link #quote}, never a stranger's whole string.
 */
public final class RequestIds {
  /** The longest request id, in characters. */
  public static final int MAX_LENGTH = 255;

  /** The most characters of a value a message quotes. */
  public static final int QUOTE_LENGTH = 40;

  private RequestIds() {}

  /** Why {@code id} is not a request id, or null when it is one. */
  public static String problem(String id) {
    if (id == null || id.isEmpty()) {
      return "a request id must not be empty";
    }
    if (id.length() > MAX_LENGTH) {
      return "a request id must be at most " + MAX_LENGTH + " characters, not " + id.length() + ": " + quote(id);
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isISOControl(c)) {
        return "a request id must be printable text; it holds U+" + String.format("%04X", (int) c) + " at character "
            + i + ": " + quote(id);
      }
      if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "a request id must be printable text; it holds a lone surrogate at character " + i + ": " + quote(id);
      }
    }
    return null;
  }

  /**
   * Checks {@code id}.
   *
   * @throws IllegalArgumentException saying what is wrong, quoting at most {@value #QUOTE_LENGTH} characters
   */
  public static String require(String id) {
    String p = problem(id);
    if (p != null) {
      throw new IllegalArgumentException(p);
    }
    return id;
  }

  /**
   * {@code s} in quotes for a message: its first {@value #QUOTE_LENGTH} characters at most, control
   * characters shown as {@code \\uXXXX}, and how long it was when it was cut.
   */
  public static String quote(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(QUOTE_LENGTH + 40).append('"');
    int n = Math.min(s.length(), QUOTE_LENGTH);
    if (n < s.length() && Character.isHighSurrogate(s.charAt(n - 1))) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '"' || c == '\\') {
        b.append(c == '"' ? "\\\"" : c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
    if (n < s.length()) {
      b.append("… (").append(s.length()).append(" characters)");
    }
    return b.toString();
  }
}
