package dev.kopeck.core.estimate.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.base.InputException;
import dev.kopeck.pricing.json.Json;
import dev.kopeck.pricing.json.Node;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequest.Media;
import dev.kopeck.core.estimate.ChatRequest.Message;
import dev.kopeck.core.estimate.ChatRequest.Part;
import dev.kopeck.core.estimate.ChatRequest.Text;
import dev.kopeck.tokens.media.MediaRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The reading behind {@code ChatRequestParser}, also from a tree already parsed (a log line's
 * request). Reads a chat request: OpenAI-compatible ({@code model}, {@code messages}, {@code tools} or
 * {@code functions}, {@code response_format}, {@code max_tokens} / {@code max_completion_tokens},
 * {@code n}) or Gemini's native shape ({@code contents}, {@code systemInstruction}, {@code tools},
 * {@code generationConfig}). A malformed request is an {@link InputException} with the JSON path.
 */
public final class ChatRequestReader {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private ChatRequestReader() {}

  /** Parses a request from its JSON text. */
  public static ChatRequest parse(String source, String json) {
    return read(source, "$", Json.parse(source, json), json);
  }

  /**
   * Reads a request from a tree found at {@code path} of a document; {@code text} is the JSON text
   * of that tree (for fitting), or null when it is part of a larger document.
   */
  public static ChatRequest read(String source, String path, JsonNode tree, String text) {
    Node root = Node.at(source, path, tree).requireObject();
    if (root.json().has("contents")) {
      return gemini(root, text);
    }
    if (root.json().has("messages")) {
      return openai(root, text);
    }
    if (root.json().has("input")) {
      return responses(root, text);
    }
    throw root.error("not a chat request: expected \"messages\" (OpenAI-compatible), \"input\" (OpenAI's Responses)"
        + " or \"contents\" (Gemini)");
  }

  private static ChatRequest openai(Node root, String text) {
    String model = root.has("model") ? root.get("model").nonBlankText() : null;
    List<Message> messages = new ArrayList<>();
    List<Node> ms = root.require("messages").elements();
    if (ms.isEmpty()) {
      throw new InputException(root.source(), root.pathOf("messages"), "no messages");
    }
    for (Node m : ms) {
      m.requireObject();
      String role = m.require("role").nonBlankText();
      if (!ROLES.contains(role)) {
        throw new InputException(m.source(), m.pathOf("role"), "unknown role \"" + role + "\"; expected one of "
            + new java.util.TreeSet<>(ROLES));
      }
      List<Part> parts = new ArrayList<>();
      Node content = m.get("content");
      if (content != null) {
        if (content.json().isTextual()) {
          parts.add(new Text(content.text(), content.path()));
        } else {
          for (Node p : content.elements()) {
            parts.add(openaiPart(p));
          }
        }
      }
      Node calls = m.get("tool_calls");
      if (calls != null) {
        calls.elements(); // an array
        parts.add(new Text(calls.json().toString(), calls.path()));
      }
      Node call = m.get("function_call");
      if (call != null) {
        parts.add(new Text(call.json().toString(), call.path()));
      }
      if (content == null && calls == null && call == null && !role.equals("assistant")) {
        throw new InputException(m.source(), m.pathOf("content"), "required field is missing");
      }
      Node name = m.get("name");
      messages.add(new Message(messages.size(), role, parts, m.path(), name == null ? null : name.text()));
    }
    String tools = null;
    if (root.has("tools")) {
      root.get("tools").elements();
      tools = root.json().get("tools").toString();
    } else if (root.has("functions")) {
      root.get("functions").elements();
      tools = root.json().get("functions").toString();
    }
    String schema = null;
    Node rf = root.get("response_format");
    if (rf != null) {
      rf.requireObject();
      Node js = rf.get("json_schema");
      if (js != null) {
        schema = js.requireObject().json().toString();
      }
    }
    Long max = null;
    for (String f : List.of("max_completion_tokens", "max_tokens", "max_output_tokens")) {
      if (root.has(f)) {
        max = positive(root.get(f));
        break;
      }
    }
    int n = root.has("n") ? (int) Math.min(positive(root.get("n")), 128) : 1;
    MediaRules.Resolution res = MediaRules.Resolution.UNSPECIFIED;
    if (root.has("media_resolution")) {
      res = resolution(root.get("media_resolution"));
    }
    ChatRequest.ToolChoice choice = root.has("tool_choice") ? toolChoice(root.get("tool_choice"))
        : root.has("function_call") ? toolChoice(root.get("function_call")) : null;
    return new ChatRequest(model, messages, tools, choice, schema, max, n, res, ChatRequest.Shape.OPENAI, text);
  }

  /**
   * {@code tool_choice}: a string ({@code auto}, {@code none}, {@code required}) or an object with a
   * {@code type}, naming a function as Chat Completions does ({@code {"type": "function", "function":
   * {"name": ...}}}) or as the Responses API does ({@code {"type": "function", "name": ...}}); or the
   * older {@code function_call}, a string or {@code {"name": ...}}.
   */
  private static ChatRequest.ToolChoice toolChoice(Node c) {
    if (c.json().isTextual()) {
      return new ChatRequest.ToolChoice(c.nonBlankText(), null);
    }
    c.requireObject();
    if (!c.has("type") && c.has("name")) {
      return new ChatRequest.ToolChoice("function", c.get("name").nonBlankText()); // function_call
    }
    String type = c.require("type").nonBlankText();
    if (!type.equals("function")) {
      return new ChatRequest.ToolChoice(type, null);
    }
    Node f = c.has("function") ? c.get("function").requireObject() : c;
    return new ChatRequest.ToolChoice("function", f.require("name").nonBlankText());
  }

  /**
   * OpenAI's Responses API: {@code instructions} is the system prompt; {@code input} is a string (one
   * user message) or a list of items: messages ({@code role} and {@code content}, a string or
   * {@code input_text}, {@code output_text}, {@code input_image}, {@code input_file} and
   * {@code input_audio} parts), and function calls, their outputs and other items, counted as their
   * JSON text. {@code text.format} of type {@code json_schema} is the response schema.
   */
  private static ChatRequest responses(Node root, String text) {
    String model = root.has("model") ? root.get("model").nonBlankText() : null;
    List<Message> messages = new ArrayList<>();
    Node instructions = root.get("instructions");
    if (instructions != null && !instructions.isNull()) {
      messages.add(new Message(0, "system", List.of(new Text(instructions.text(), instructions.path())),
          instructions.path()));
    }
    Node input = root.get("input");
    if (input.json().isTextual()) {
      messages.add(new Message(messages.size(), "user", List.of(new Text(input.text(), input.path())), input.path()));
    } else {
      List<Node> items = input.elements();
      if (items.isEmpty()) {
        throw new InputException(root.source(), root.pathOf("input"), "no input");
      }
      for (Node item : items) {
        item.requireObject();
        String type = item.has("type") ? item.get("type").nonBlankText() : "message";
        if (type.equals("message") && item.has("role")) {
          String role = item.get("role").nonBlankText();
          if (!ROLES.contains(role)) {
            throw new InputException(item.source(), item.pathOf("role"), "unknown role \"" + role
                + "\"; expected one of " + new java.util.TreeSet<>(ROLES));
          }
          Node content = item.require("content");
          List<Part> parts = new ArrayList<>();
          if (content.json().isTextual()) {
            parts.add(new Text(content.text(), content.path()));
          } else {
            for (Node p : content.elements()) {
              parts.add(responsesPart(p));
            }
          }
          messages.add(new Message(messages.size(), role, parts, item.path()));
        } else if (type.equals("message")) {
          throw new InputException(item.source(), item.pathOf("role"), "required field is missing");
        } else {
          // a function call, its output, a reasoning item...: what the model reads is its JSON text
          String role = type.endsWith("_output") ? "tool" : "assistant";
          messages.add(new Message(messages.size(), role, List.of(new Text(item.json().toString(), item.path())),
              item.path()));
        }
      }
    }
    String tools = null;
    if (root.has("tools")) {
      root.get("tools").elements();
      tools = root.json().get("tools").toString();
    }
    String schema = null;
    Node t = root.get("text");
    if (t != null && t.requireObject().has("format")) {
      Node f = t.get("format").requireObject();
      if (f.has("schema")) {
        schema = f.json().get("schema").toString();
      }
    }
    Long max = root.has("max_output_tokens") && !root.get("max_output_tokens").isNull()
        ? positive(root.get("max_output_tokens")) : null;
    ChatRequest.ToolChoice choice = root.has("tool_choice") ? toolChoice(root.get("tool_choice")) : null;
    return new ChatRequest(model, messages, tools, choice, schema, max, 1, MediaRules.Resolution.UNSPECIFIED,
        ChatRequest.Shape.OPENAI_RESPONSES, text);
  }

  private static Part responsesPart(Node p) {
    p.requireObject();
    String type = p.require("type").nonBlankText();
    switch (type) {
      case "input_text", "output_text", "text":
        return new Text(p.require("text").text(), p.pathOf("text"));
      case "refusal":
        return new Text(p.require("refusal").text(), p.pathOf("refusal"));
      case "input_image": {
        MediaRules.Detail detail = MediaRules.Detail.AUTO;
        if (p.has("detail")) {
          Node d = p.get("detail");
          try {
            detail = MediaRules.Detail.valueOf(d.text().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw d.error("unknown detail \"" + d.text() + "\"; expected auto, low or high");
          }
        }
        if (p.has("image_url")) {
          return media(Media.Kind.IMAGE, p.get("image_url").nonBlankText(), null, detail, p.pathOf("image_url"));
        }
        if (p.has("file_id")) {
          return new Media(Media.Kind.IMAGE, null, null, "file_id:" + p.get("file_id").text(), null, detail,
              p.pathOf("file_id"));
        }
        throw new InputException(p.source(), p.pathOf("image_url"), "required field is missing");
      }
      case "input_file": {
        if (p.has("file_data")) {
          return media(Media.Kind.FILE, p.get("file_data").nonBlankText(), "application/pdf", MediaRules.Detail.AUTO,
              p.pathOf("file_data"));
        }
        for (String f : List.of("file_url", "file_id")) {
          if (p.has(f)) {
            String v = p.get(f).nonBlankText();
            return new Media(Media.Kind.FILE, null, null, f.equals("file_id") ? "file_id:" + v : v, null,
                MediaRules.Detail.AUTO, p.pathOf(f));
          }
        }
        throw new InputException(p.source(), p.pathOf("file_data"), "required field is missing");
      }
      case "input_audio": {
        Node a = p.require("input_audio").requireObject();
        String format = a.has("format") ? a.get("format").text() : "wav";
        return new Media(Media.Kind.AUDIO, null, a.require("data").nonBlankText(), null, "audio/" + format,
            MediaRules.Detail.AUTO, a.pathOf("data"));
      }
      default:
        throw new InputException(p.source(), p.pathOf("type"), "unknown content part type \"" + type
            + "\"; expected input_text, output_text, input_image, input_file or input_audio");
    }
  }

  private static Part openaiPart(Node p) {
    p.requireObject();
    String type = p.require("type").nonBlankText();
    switch (type) {
      case "text":
        return new Text(p.require("text").text(), p.pathOf("text"));
      case "image_url": {
        Node iu = p.require("image_url");
        String url = iu.json().isTextual() ? iu.text() : iu.requireObject().require("url").nonBlankText();
        MediaRules.Detail detail = MediaRules.Detail.AUTO;
        if (iu.isObject() && iu.has("detail")) {
          Node d = iu.get("detail");
          try {
            detail = MediaRules.Detail.valueOf(d.text().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw d.error("unknown detail \"" + d.text() + "\"; expected auto, low or high");
          }
        }
        return media(Media.Kind.IMAGE, url, null, detail, iu.isObject() ? iu.pathOf("url") : iu.path());
      }
      case "input_audio": {
        Node a = p.require("input_audio").requireObject();
        String data = a.require("data").nonBlankText();
        String format = a.has("format") ? a.get("format").text() : "wav";
        return new Media(Media.Kind.AUDIO, null, data, null, "audio/" + format, MediaRules.Detail.AUTO, a.pathOf("data"));
      }
      case "file": {
        Node f = p.require("file").requireObject();
        if (!f.has("file_data")) {
          if (f.has("file_id")) {
            return new Media(Media.Kind.FILE, null, null, "file_id:" + f.get("file_id").text(), null,
                MediaRules.Detail.AUTO, f.pathOf("file_id"));
          }
          throw new InputException(f.source(), f.pathOf("file_data"), "required field is missing");
        }
        String data = f.get("file_data").nonBlankText();
        return media(Media.Kind.FILE, data, "application/pdf", MediaRules.Detail.AUTO, f.pathOf("file_data"));
      }
      default:
        throw new InputException(p.source(), p.pathOf("type"), "unknown content part type \"" + type
            + "\"; expected text, image_url, input_audio or file");
    }
  }

  private static Media media(Media.Kind kind, String urlOrData, String mime, MediaRules.Detail detail, String path) {
    String lower = urlOrData.regionMatches(true, 0, "data:", 0, 5) ? "data" : "";
    if (lower.equals("data")) {
      return new Media(kind, urlOrData, null, null, mime, detail, path);
    }
    if (urlOrData.startsWith("http://") || urlOrData.startsWith("https://") || urlOrData.startsWith("gs://")) {
      return new Media(kind, null, null, urlOrData, mime, detail, path);
    }
    return new Media(kind, null, urlOrData, null, mime, detail, path); // bare base64
  }

  private static ChatRequest gemini(Node root, String text) {
    List<Message> messages = new ArrayList<>();
    Node si = root.get("systemInstruction");
    if (si == null) {
      si = root.get("system_instruction");
    }
    if (si != null) {
      messages.add(new Message(0, "system", geminiParts(si.requireObject().require("parts")), si.path()));
    }
    List<Node> cs = root.require("contents").elements();
    if (cs.isEmpty()) {
      throw new InputException(root.source(), root.pathOf("contents"), "no contents");
    }
    for (Node c : cs) {
      c.requireObject();
      String role = c.has("role") ? c.get("role").nonBlankText() : "user";
      String mapped = role.equals("model") ? "assistant" : role.equals("function") ? "tool" : role;
      if (!mapped.equals("user") && !mapped.equals("assistant") && !mapped.equals("tool")) {
        throw new InputException(c.source(), c.pathOf("role"), "unknown role \"" + role + "\"; expected user, model or function");
      }
      messages.add(new Message(messages.size(), mapped, geminiParts(c.require("parts")), c.path()));
    }
    String tools = root.has("tools") ? root.json().get("tools").toString() : null;
    Node gc = root.get("generationConfig");
    if (gc == null) {
      gc = root.get("generation_config");
    }
    Long max = null;
    int n = 1;
    String schema = null;
    MediaRules.Resolution res = MediaRules.Resolution.UNSPECIFIED;
    if (gc != null) {
      gc.requireObject();
      if (gc.has("maxOutputTokens")) {
        max = positive(gc.get("maxOutputTokens"));
      }
      if (gc.has("candidateCount")) {
        n = (int) Math.min(positive(gc.get("candidateCount")), 128);
      }
      for (String f : List.of("responseSchema", "responseJsonSchema")) {
        if (gc.has(f)) {
          schema = gc.json().get(f).toString();
        }
      }
      if (gc.has("mediaResolution")) {
        res = resolution(gc.get("mediaResolution"));
      }
    }
    String model = root.has("model") ? root.get("model").nonBlankText() : null;
    return new ChatRequest(model, messages, tools, schema, max, n, res, ChatRequest.Shape.GEMINI, text);
  }

  private static List<Part> geminiParts(Node parts) {
    List<Part> out = new ArrayList<>();
    for (Node p : parts.elements()) {
      p.requireObject();
      if (p.has("text")) {
        out.add(new Text(p.get("text").text(), p.pathOf("text")));
      } else if (p.has("inlineData") || p.has("inline_data")) {
        Node d = (p.has("inlineData") ? p.get("inlineData") : p.get("inline_data")).requireObject();
        String mime = d.has("mimeType") ? d.get("mimeType").text() : d.has("mime_type") ? d.get("mime_type").text() : "";
        out.add(new Media(kindOf(mime), null, d.require("data").nonBlankText(), null, mime, MediaRules.Detail.AUTO,
            d.pathOf("data")));
      } else if (p.has("fileData") || p.has("file_data")) {
        Node d = (p.has("fileData") ? p.get("fileData") : p.get("file_data")).requireObject();
        String mime = d.has("mimeType") ? d.get("mimeType").text() : "";
        String uri = d.has("fileUri") ? d.get("fileUri").text() : d.require("file_uri").text();
        out.add(new Media(kindOf(mime), null, null, uri, mime, MediaRules.Detail.AUTO, d.path()));
      } else if (p.has("functionCall") || p.has("functionResponse")) {
        JsonNode fc = p.json().has("functionCall") ? p.json().get("functionCall") : p.json().get("functionResponse");
        out.add(new Text(fc.toString(), p.path()));
      } else {
        throw p.error("unknown part: expected text, inlineData, fileData, functionCall or functionResponse");
      }
    }
    return out;
  }

  private static Media.Kind kindOf(String mime) {
    String m = mime.toLowerCase(Locale.ROOT);
    return m.startsWith("image/") ? Media.Kind.IMAGE : m.startsWith("audio/") ? Media.Kind.AUDIO
        : m.startsWith("video/") ? Media.Kind.VIDEO : Media.Kind.FILE;
  }

  private static MediaRules.Resolution resolution(Node n) {
    String v = n.text().toUpperCase(Locale.ROOT).replace("MEDIA_RESOLUTION_", "");
    try {
      return MediaRules.Resolution.valueOf(v);
    } catch (IllegalArgumentException e) {
      throw n.error("unknown media resolution \"" + n.text() + "\"; expected low, medium or high");
    }
  }

  private static long positive(Node n) {
    long v = n.wholeNumber();
    if (v <= 0) {
      throw n.error("must be positive: " + v);
    }
    return v;
  }
}
