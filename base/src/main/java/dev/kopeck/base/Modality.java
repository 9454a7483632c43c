package dev.kopeck.base;

/** What a token stands for. Gemini reports tokens per modality; OpenAI-compatible usage partly. */
public enum Modality {
  TEXT,
  IMAGE,
  AUDIO,
  VIDEO,
  DOCUMENT;

  /** The lower-case name used in JSON reports: {@code text}, {@code image}, ... */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
