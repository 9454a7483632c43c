package dev.kopeck.pricing.catalog;

import dev.kopeck.base.InputException;

/** A catalog file, a response or a usage the catalog cannot read or price, with where. */
public class CatalogException extends InputException {
  private static final long serialVersionUID = 1L;

  public CatalogException(String source, String location, String problem) {
    super(source, location, problem);
  }

  public CatalogException(String source, String location, String problem, Throwable cause) {
    super(source, location, problem, cause);
  }
}
