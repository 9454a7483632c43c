package dev.kopeck.pricing.cost;

import dev.kopeck.base.InputException;

/**
 * A usage that a tariff cannot price: the tariff bills by a unit the usage does not give (images,
 * seconds), or no tariff of the model is in force at the call's time.
 */
public class PricingException extends InputException {
  private static final long serialVersionUID = 1L;

  public PricingException(String problem) {
    super(null, null, problem);
  }
}
