package dev.kopeck.pricing.tariff;

import dev.kopeck.base.InputException;

/** A tariff table that cannot be used: names the file and the JSON path of the problem. */
public class TariffException extends InputException {
  private static final long serialVersionUID = 1L;

  public TariffException(String source, String location, String problem) {
    super(source, location, problem);
  }

  public TariffException(String source, String location, String problem, Throwable cause) {
    super(source, location, problem, cause);
  }
}
