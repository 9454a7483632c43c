package dev.kopeck.tokens.media;

import dev.kopeck.base.InputException;
import dev.kopeck.base.internal.Names;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a model family turns media into input tokens; a tariff table names the rules of each model
 * ({@code "media_rules": "gemini-2.0"}). docs/media.md cites the source of every rule.
 */
public interface MediaRules {
  /** The ids of the rule sets Kopeck has. */
  static List<String> ids() {
    return Names.MEDIA_RULES;
  }

  /** How much detail an image is sent with: OpenAI's {@code detail}. */
  enum Detail { AUTO, LOW, HIGH }

  /** Gemini's {@code media_resolution} request setting; UNSPECIFIED is the model's default. */
  enum Resolution { UNSPECIFIED, LOW, MEDIUM, HIGH }

  String id();

  long imageTokens(long width, long height, Detail detail, Resolution resolution);

  /**
   * The most an image can cost when its size is unknown (a remote URL whose bytes the caller does
   * not have): estimates use this and say they assumed it.
   */
  long worstCaseImageTokens(Detail detail, Resolution resolution);

  long audioTokens(BigDecimal seconds);

  /**
   * Tokens of a video of {@code seconds}, with a sound track when {@code withAudio}, at the request's
   * {@code media_resolution}.
   */
  long videoTokens(BigDecimal seconds, boolean withAudio, Resolution resolution);

  long documentTokens(long pages);

  /**
   * Null when the models of these rules take a medium of {@code m}'s format, else what they take
   * ("Gemini takes PNG, JPEG, WEBP, HEIC and HEIF images"): an estimate warns, as the provider
   * would refuse the request or convert the medium.
   */
  default String notAccepted(MediaInfo m) {
    return null;
  }

  /** Tokens of a measured medium. */
  default long tokens(MediaInfo m, Detail detail, Resolution resolution) {
    switch (m.modality()) {
      case IMAGE:
        return imageTokens(m.width(), m.height(), detail, resolution);
      case AUDIO:
        return audioTokens(m.seconds());
      case VIDEO:
        return videoTokens(m.seconds(), m.withAudio(), resolution);
      case DOCUMENT:
        return documentTokens(m.pages());
      default:
        throw new IllegalArgumentException("not a medium: " + m.modality());
    }
  }

  default long tokens(MediaInfo m) {
    return tokens(m, Detail.AUTO, Resolution.UNSPECIFIED);
  }

  static Optional<MediaRules> find(String id) {
    String key = id.trim().toLowerCase(Locale.ROOT);
    return StandardRules.ALL.stream().filter(r -> r.id().equals(key)).findFirst();
  }

  static MediaRules require(String id) {
    return find(id).orElseThrow(() -> new InputException(null, null,
        "unknown media rules \"" + id + "\"; known: " + String.join(", ", ids())));
  }
}
