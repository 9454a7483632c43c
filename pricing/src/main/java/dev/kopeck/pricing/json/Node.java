package dev.kopeck.pricing.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.base.InputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON node with its path from the document root ({@code $.models[0].rates.input}), so that any
 * complaint about it names the exact place. Reading methods throw {@link InputException}.
 */
public final class Node {
  private final String source;
  private final Node parent;
  private final String field;
  private final int index;
  private String path;
  private final JsonNode json;

  private Node(String source, String path, JsonNode json) {
    this.source = source;
    this.path = path;
    this.parent = null;
    this.field = null;
    this.index = -1;
    this.json = json;
  }

  /** A child; its path is built only if someone asks (on an error), not on every read. */
  private Node(Node parent, String field, int index, JsonNode json) {
    this.source = parent.source;
    this.parent = parent;
    this.field = field;
    this.index = index;
    this.json = json;
  }

  public static Node root(String source, JsonNode json) {
    return new Node(source, "$", json);
  }

  /** A node that sits at {@code path} of a larger document (a log line's {@code $.response}). */
  public static Node at(String source, String path, JsonNode json) {
    return new Node(source, path, json);
  }

  public String source() {
    return source;
  }

  public String path() {
    if (path == null) {
      path = field != null ? parent.path() + "." + field : parent.path() + "[" + index + "]";
    }
    return path;
  }

  public JsonNode json() {
    return json;
  }

  public InputException error(String problem) {
    return new InputException(source, path(), problem);
  }

  /** The path of a child field, whether or not it exists. */
  public String pathOf(String field) {
    return path() + "." + field;
  }

  public boolean isObject() {
    return json.isObject();
  }

  public boolean isNull() {
    return json == null || json.isNull() || json.isMissingNode();
  }

  public Node requireObject() {
    if (!json.isObject()) {
      throw error("expected an object, found " + describe(json));
    }
    return this;
  }

  public boolean has(String field) {
    JsonNode c = json.get(field);
    return c != null && !c.isNull();
  }

  /** The child, or null when absent or JSON null. */
  public Node get(String field) {
    JsonNode c = json.get(field);
    return c == null || c.isNull() ? null : new Node(this, field, -1, c);
  }

  public Node require(String field) {
    Node c = get(field);
    if (c == null) {
      throw new InputException(source, pathOf(field), "required field is missing");
    }
    return c;
  }

  /** Rejects fields outside {@code known}, so a typo ({@code ouptut}) is an error, not a silent zero. */
  public void rejectUnknownFields(Set<String> known) {
    Iterator<String> names = json.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        throw new InputException(source, pathOf(n), "unknown field; expected one of " + new java.util.TreeSet<>(known));
      }
    }
  }

  public List<Node> elements() {
    if (!json.isArray()) {
      throw error("expected an array, found " + describe(json));
    }
    List<Node> out = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      out.add(new Node(this, null, i, json.get(i)));
    }
    return out;
  }

  public List<Map.Entry<String, Node>> fields() {
    requireObject();
    List<Map.Entry<String, Node>> out = new ArrayList<>(json.size());
    json.fields().forEachRemaining(e -> out.add(Map.entry(e.getKey(), new Node(this, e.getKey(), -1, e.getValue()))));
    return out;
  }

  public String text() {
    if (!json.isTextual()) {
      throw error("expected a string, found " + describe(json));
    }
    return json.textValue();
  }

  public String nonBlankText() {
    String t = text();
    if (t.isBlank()) {
      throw error("must not be blank");
    }
    return t;
  }

  /** A whole, non-negative count that fits a long. */
  public long count() {
    long v = wholeNumber();
    if (v < 0) {
      throw error("negative count " + v);
    }
    return v;
  }

  /** A whole number that fits a long; {@code 12.0} and {@code "12"} are refused. */
  public long wholeNumber() {
    if (!json.isNumber()) {
      throw error("expected a whole number, found " + describe(json));
    }
    BigInteger big;
    if (json.isIntegralNumber()) {
      big = json.bigIntegerValue();
    } else {
      BigDecimal d = json.decimalValue();
      if (d.stripTrailingZeros().scale() > 0) {
        throw error("expected a whole number, found " + d.toPlainString());
      }
      big = d.toBigIntegerExact();
    }
    if (big.bitLength() > 63) {
      throw error("number out of range: " + big);
    }
    return big.longValue();
  }

  /** An exact decimal from a JSON number or a numeric string; never via double. */
  public BigDecimal decimal() {
    if (json.isNumber()) {
      return json.decimalValue();
    }
    if (json.isTextual()) {
      try {
        return new BigDecimal(json.textValue().trim());
      } catch (NumberFormatException e) {
        throw error("not a decimal number: \"" + json.textValue() + "\"");
      }
    }
    throw error("expected a decimal number or a string holding one, found " + describe(json));
  }

  public static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing";
    }
    switch (n.getNodeType()) {
      case OBJECT:
        return "an object";
      case ARRAY:
        return "an array";
      case STRING:
        String t = n.textValue();
        return "the string \"" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "\"";
      case NUMBER:
        return "the number " + n.asText();
      case BOOLEAN:
        return n.asText();
      case NULL:
        return "null";
      default:
        return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
