package dev.kopeck.tariff;

import dev.kopeck.base.InputException;
import java.util.List;

/** A model name that no loaded tariff table knows. The message lists the close matches. */
public class UnknownModelException extends InputException {
  private static final long serialVersionUID = 1L;

  private final String model;

  public UnknownModelException(String model, List<String> suggestions) {
    super(null, null, "unknown model \"" + model + "\""
        + (suggestions.isEmpty() ? "; run `kopeck models` for the known ones"
            : "; did you mean " + String.join(", ", suggestions) + "?"));
    this.model = model;
  }

  public String model() {
    return model;
  }
}
