package dev.kopeck.base;

/**
 * Bad input from outside the program: a file, a JSON body, a header. The message names what was
 * wrong and where: the source (a file name, {@code <stdin>}), and a location inside it (a JSON path
 * such as {@code $.usage.prompt_tokens}, a line, a byte offset).
 */
public class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final String location;
  private final String problem;

  public InputException(String source, String location, String problem) {
    this(source, location, problem, null);
  }

  public InputException(String source, String location, String problem, Throwable cause) {
    super(format(source, location, problem), cause);
    this.source = source;
    this.location = location;
    this.problem = problem;
  }

  /**
   * The file {@code source} could not be read: the problem says why in words ("no such file",
   * "permission denied", "is a folder, not a file", else the system's reason), never an exception's class name.
   */
  public static InputException unreadable(String source, java.io.IOException e) {
    return new InputException(source, null, reason(e), e);
  }

  /** Why a file could not be read, in words: what {@link #unreadable} says. */
  public static String reason(java.io.IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return "cannot read: " + f.getReason();
    }
    String m = e.getMessage();
    if (m != null && m.endsWith("Is a directory")) {
      return "is a folder, not a file";
    }
    return "cannot read: " + (m == null ? e.getClass().getSimpleName() : m);
  }

  private static String format(String source, String location, String problem) {
    StringBuilder sb = new StringBuilder();
    if (source != null && !source.isEmpty()) {
      sb.append(source).append(": ");
    }
    if (location != null && !location.isEmpty()) {
      sb.append(location).append(": ");
    }
    return sb.append(problem).toString();
  }

  /** Where the input came from (a file name, {@code <stdin>}), or null when unknown. */
  public String source() {
    return source;
  }

  /** Where inside the input: a JSON path, {@code line 12}, {@code byte 40}; or null. */
  public String location() {
    return location;
  }

  /** What was wrong, without the source and location. */
  public String problem() {
    return problem;
  }
}
