package dev.kopeck.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kopeck.base.InputException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one Jackson setup for input: exact decimals (numbers with a fraction become {@code BigDecimal}
 * from their text, never {@code double}; whole numbers stay int/long, BigInteger only beyond),
 * duplicate keys rejected, trailing garbage rejected.
 */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  /** Parses one JSON document; a syntax error names the line and column. */
  public static JsonNode parse(String source, String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e, 0);
    }
  }

  public static JsonNode parse(String source, byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e, 0);
    } catch (IOException e) {
      throw new InputException(source, null, "cannot read: " + e.getMessage(), e);
    }
  }

  public static JsonNode parse(String source, InputStream in) throws IOException {
    try {
      return MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e, 0);
    }
  }

  /**
   * An {@link InputException} for a Jackson syntax error: "line L, column C" (with {@code lineOffset}
   * added, for a document that starts inside a bigger file) and Jackson's message without its
   * source dump.
   */
  public static InputException syntaxError(String source, JsonProcessingException e, int lineOffset) {
    JsonLocation loc = e.getLocation();
    String where = loc == null ? null : "line " + (loc.getLineNr() + lineOffset) + ", column " + loc.getColumnNr();
    return new InputException(source, where, "malformed JSON: " + plain(e), e);
  }

  /**
   * Jackson's message in the user's words: its first line, without the source dump, and without
   * its advice to the programmer (which feature to enable, which Java type it bound to).
   */
  public static String plain(JsonProcessingException e) {
    String msg = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
    int nl = msg.indexOf('\n');
    if (nl >= 0) {
      msg = msg.substring(0, nl);
    }
    // the line and column are given already; Jackson's own location (with the source) is noise
    int at = msg.indexOf(" (start marker at [Source");
    if (at >= 0) {
      msg = msg.substring(0, at);
    }
    if (msg.startsWith("Non-standard token '")) {
      return "'" + msg.substring(20, msg.indexOf('\'', 20)) + "' is not a JSON number";
    }
    if (msg.startsWith("Trailing token")) {
      return "more JSON after the value ended: one value was expected";
    }
    if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
      return msg.replaceAll(" \\(by `[^`]*`\\)", "").replaceAll("; use `[^`]*` to [^.]*", "");
    }
    return msg.replaceAll(": enable `[^`]*` to allow", "").replaceAll(" \\(bound as `[^`]*`\\)", "")
        .replaceAll(": not allowed as per `[^`]*`", "");
  }

}
