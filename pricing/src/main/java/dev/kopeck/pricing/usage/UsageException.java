package dev.kopeck.pricing.usage;

import dev.kopeck.base.InputException;

/** A usage that cannot be read or does not add up; names the field (JSON path) or line. */
public class UsageException extends InputException {
  private static final long serialVersionUID = 1L;

  public UsageException(String source, String location, String problem) {
    super(source, location, problem);
  }

  public UsageException(String source, String location, String problem, Throwable cause) {
    super(source, location, problem, cause);
  }
}
