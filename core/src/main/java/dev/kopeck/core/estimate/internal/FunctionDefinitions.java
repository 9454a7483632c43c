package dev.kopeck.core.estimate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Function (tool) declarations as OpenAI's models see them: not the JSON schemas of the request but
 * TypeScript definitions in a {@code namespace functions}, as the npm package openai-chat-tokens
 * 0.2.8 (a public reference, checked against OpenAI's counts) renders them. Chat overhead around them:
 * 9 tokens, 4 fewer when the request has a system message (the definitions reuse it), and the first
 * system message gains a trailing newline.
 */
public final class FunctionDefinitions {
  private FunctionDefinitions() {}

  private static final ObjectMapper M = new ObjectMapper();

  /**
   * The definitions of {@code toolsJson} (OpenAI's {@code tools}, whose function entries are
   * rendered, or the older {@code functions}), or null when it holds no function (Gemini's tools).
   */
  public static String render(String toolsJson) {
    if (toolsJson.length() > RENDERED_MAX_CHARS) {
      return renderAnew(toolsJson);
    }
    // a service sends the same tools with every request: render them once, not at every estimate
    Optional<String> r = rendered.get(toolsJson);
    if (r == null) {
      r = Optional.ofNullable(renderAnew(toolsJson));
      if (rendered.size() >= RENDERED_MAX) {
        rendered.clear();
      }
      rendered.put(toolsJson, r);
    }
    return r.orElse(null);
  }

  /** Definitions rendered before, by their tools' JSON text; bounded: cleared when full, and large texts not kept. */
  private static final ConcurrentHashMap<String, Optional<String>> rendered = new ConcurrentHashMap<>();
  private static final int RENDERED_MAX = 64;
  private static final int RENDERED_MAX_CHARS = 32 * 1024; // at most 2M characters of keys kept

  private static String renderAnew(String toolsJson) {
    JsonNode tools;
    try {
      tools = M.readTree(toolsJson);
    } catch (java.io.IOException e) {
      return null;
    }
    if (!tools.isArray()) {
      return null;
    }
    List<JsonNode> functions = new ArrayList<>();
    for (JsonNode t : tools) {
      JsonNode f = t.has("function") ? t.get("function") : t;
      if (f.isObject() && f.path("name").isTextual()) {
        functions.add(f);
      }
    }
    if (functions.isEmpty()) {
      return null;
    }
    List<String> lines = new ArrayList<>(List.of("namespace functions {", ""));
    for (JsonNode f : functions) {
      if (f.path("description").isTextual() && !f.get("description").asText().isEmpty()) {
        lines.add("// " + f.get("description").asText());
      }
      JsonNode params = f.path("parameters");
      if (params.path("properties").isObject() && params.get("properties").size() > 0) {
        lines.add("type " + f.get("name").asText() + " = (_: {");
        lines.add(properties(params, 0));
        lines.add("}) => any;");
      } else {
        lines.add("type " + f.get("name").asText() + " = () => any;");
      }
      lines.add("");
    }
    lines.add("} // namespace functions");
    return String.join("\n", lines);
  }

  private static String properties(JsonNode obj, int indent) {
    List<String> lines = new ArrayList<>();
    JsonNode props = obj.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode p = e.getValue();
      if (p.path("description").isTextual() && !p.get("description").asText().isEmpty() && indent < 2) {
        lines.add("// " + p.get("description").asText());
      }
      boolean required = false;
      for (JsonNode r : obj.path("required")) {
        required |= r.asText().equals(e.getKey());
      }
      lines.add(e.getKey() + (required ? ": " : "?: ") + type(p, indent) + ",");
    }
    StringBuilder sb = new StringBuilder();
    String pad = " ".repeat(indent);
    for (int i = 0; i < lines.size(); i++) {
      sb.append(i == 0 ? "" : "\n").append(pad).append(lines.get(i));
    }
    return sb.toString();
  }

  private static String type(JsonNode p, int indent) {
    if (p.path("anyOf").isArray()) {
      List<String> any = new ArrayList<>();
      p.get("anyOf").forEach(v -> any.add(type(v, indent)));
      return String.join(" | ", any);
    }
    String t = p.path("type").asText("");
    switch (t) {
      case "string":
        return p.path("enum").isArray() ? join(p.get("enum"), true) : "string";
      case "number":
      case "integer":
        return p.path("enum").isArray() ? join(p.get("enum"), false) : "number";
      case "boolean":
        return "boolean";
      case "null":
        return "null";
      case "object":
        return "{\n" + properties(p, indent + 2) + "\n}";
      case "array":
        return p.has("items") ? type(p.get("items"), indent) + "[]" : "any[]";
      default:
        return "undefined"; // the reference's template prints JavaScript's undefined for other types
    }
  }

  private static String join(JsonNode values, boolean quoted) {
    List<String> out = new ArrayList<>();
    for (JsonNode v : values) {
      out.add(quoted ? "\"" + v.asText() + "\"" : v.asText());
    }
    return String.join(" | ", out);
  }
}
