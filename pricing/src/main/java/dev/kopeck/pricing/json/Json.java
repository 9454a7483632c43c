package dev.kopeck.pricing.json;

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

  /**
   * The longest string a document may hold, in characters: 128 Mi by default, room for a 90 MB file
   * in base64 (Jackson's own default, 20 M, refused a request carrying 22 MB of base64 audio).
   * Set with the system property {@code kopeck.json.maxStringChars}. A longer string is refused
   * with its length and the limit, and a log run reports that line and goes on.
   */
  public static final int MAX_STRING_CHARS = Integer.getInteger("kopeck.json.maxStringChars", 128 << 20);

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
              .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                  .maxStringLength(MAX_STRING_CHARS).build())
              .build())
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
    } catch (NumberFormatException e) {
      throw numberError(source, null, e);
    }
  }

  public static JsonNode parse(String source, byte[] bytes) {
    try {
      return MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e, 0);
    } catch (NumberFormatException e) {
      throw numberError(source, null, e);
    } catch (IOException e) {
      throw new InputException(source, null, "cannot read: " + e.getMessage(), e);
    }
  }

  public static JsonNode parse(String source, InputStream in) throws IOException {
    try {
      return MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw syntaxError(source, e, 0);
    } catch (NumberFormatException e) {
      throw numberError(source, null, e);
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
   * A number Jackson read but cannot hold ({@code 1e9223372036854775808}: an exponent beyond any
   * decimal), which it throws as a bare {@code NumberFormatException}.
   */
  public static InputException numberError(String source, String where, NumberFormatException e) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Value \"([^\"]{1,80})").matcher(
        String.valueOf(e.getMessage()));
    return new InputException(source, where, "a number out of any range" + (m.find() ? ": " + m.group(1) : ""), e);
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
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("String value length \\((\\d+)\\) exceeds the maximum"
          + " allowed \\((\\d+)").matcher(msg);
      if (m.find()) {
        return "a string of more than " + m.group(2) + " characters (" + m.group(1) + " read so far); the limit is"
            + " set with -Dkopeck.json.maxStringChars";
      }
      return msg.replaceAll(",? ?\\(?from `[^`]*`\\)?", "").replaceAll(" \\(by `[^`]*`\\)", "");
    }
    return msg.replaceAll(": enable `[^`]*` to allow", "").replaceAll(" \\(bound as `[^`]*`\\)", "")
        .replaceAll(": not allowed as per `[^`]*`", "");
  }

}
