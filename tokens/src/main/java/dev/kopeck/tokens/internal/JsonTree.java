package dev.kopeck.tokens.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kopeck.base.InputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON value read whole into maps, lists, strings, numbers, booleans and nulls (jackson-core only). */
final class JsonTree {
  private JsonTree() {}

  /** The value at the parser's current token. */
  static Object read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "no JSON value");
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          p.nextToken();
          m.put(k, read(p));
        }
        return m;
      }
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(read(p));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(String source, String path, Object o) {
    if (!(o instanceof Map)) {
      throw new InputException(source, path, "expected an object, found " + describe(o));
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> arr(String source, String path, Object o) {
    if (!(o instanceof List)) {
      throw new InputException(source, path, "expected an array, found " + describe(o));
    }
    return (List<Object>) o;
  }

  /** The error for JSON that does not parse: the file, the line and column, the parser's reason. */
  static InputException malformed(String source, com.fasterxml.jackson.core.JsonProcessingException e) {
    return new InputException(source, "line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr(), "malformed JSON: " + e.getOriginalMessage());
  }

  /** A short description of a value for an error message. */
  static String describe(Object o) {
    String s = String.valueOf(o);
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
