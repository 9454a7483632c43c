package dev.kopeck.pricing.tariff;

import dev.kopeck.base.InputException;
import java.util.List;

/** A model name that no loaded tariff table knows. The message lists the close matches. */
public class UnknownModelException extends InputException {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final List<String> suggestions;

  public UnknownModelException(String model, List<String> suggestions) {
    this(model, suggestions, false);
  }

  /** As above; {@code noTables} when no table is loaded at all, which is what the message then says. */
  UnknownModelException(String model, List<String> suggestions, boolean noTables) {
    super(null, null, "unknown model \"" + model + "\"" + (noTables
        ? ": no tariff tables are loaded (the bundled ones are in dev.kopeck:kopeck-tariffs, which is not on the"
            + " class path; or load your own with TariffTables.builder())"
        : suggestions.isEmpty() ? "; run `kopeck models` for the known ones"
            : "; did you mean " + String.join(", ", suggestions) + "?"));
    this.model = model;
    this.suggestions = List.copyOf(suggestions);
  }

  /** The close names the message suggests. */
  public List<String> suggestions() {
    return suggestions;
  }

  public String model() {
    return model;
  }
}
