package dev.kopeck.core.estimate;

import dev.kopeck.tokens.media.MediaRules;
import java.util.List;
import java.util.Objects;

/**
 * A chat request as it will be sent: the OpenAI-compatible shape this router takes, or Gemini's
 * native {@code contents}. Read it with {@link ChatRequestParser}.
 *
 * @param model the model the request names, or null (Gemini's native shape names none)
 * @param messages the conversation, system prompt included
 * @param tools the tool (function) declarations as JSON text, compact, or null
 * @param toolChoice the request's {@code tool_choice} (or the older {@code function_call}), or null when it sets none
 * @param responseSchema the JSON schema of {@code response_format} as JSON text, compact, or null
 * @param maxOutputTokens {@code max_completion_tokens}, {@code max_tokens} or {@code maxOutputTokens},
 *     or null when the request sets none
 * @param n how many choices are asked for
 * @param resolution Gemini's {@code media_resolution}
 * @param json the JSON text the request was read from, for {@link Conversation#fitTo} to write back;
 *     null when it was read from part of a larger document (a log line)
 */
public record ChatRequest(
    String model,
    List<Message> messages,
    String tools,
    ToolChoice toolChoice,
    String responseSchema,
    Long maxOutputTokens,
    int n,
    MediaRules.Resolution resolution,
    Shape shape,
    String json) {

  /** A request without a {@code tool_choice}: the model chooses (OpenAI's {@code auto}). */
  public ChatRequest(String model, List<Message> messages, String tools, String responseSchema, Long maxOutputTokens,
      int n, MediaRules.Resolution resolution, Shape shape, String json) {
    this(model, messages, tools, null, responseSchema, maxOutputTokens, n, resolution, shape, json);
  }

  /**
   * Which tool the model must call, as OpenAI's {@code tool_choice} says: {@code mode} is the string
   * given ({@code auto}, {@code none}, {@code required}) or the object's {@code type} ({@code function},
   * {@code allowed_tools}, {@code custom}, a hosted tool's type); {@code function} is the function a
   * {@code function} choice names, else null.
   */
  public record ToolChoice(String mode, String function) {
    public ToolChoice {
      Objects.requireNonNull(mode, "mode");
      if ((function != null) != mode.equals("function")) {
        throw new IllegalArgumentException("a function choice names its function, and only one does: " + mode);
      }
    }
  }

  /** Which API the request is for. */
  public enum Shape { OPENAI, OPENAI_RESPONSES, GEMINI }

  public ChatRequest {
    messages = List.copyOf(messages);
    if (maxOutputTokens != null && maxOutputTokens < 1) {
      throw new IllegalArgumentException("maxOutputTokens must be at least 1: " + maxOutputTokens);
    }
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1: " + n);
    }
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(shape, "shape");
  }

  /**
   * One message: a role and its parts. {@code index} is its position in the request; {@code name} the
   * participant's name OpenAI's chat messages may carry ({@code "name": "alice"}), or null.
   */
  public record Message(int index, String role, List<Part> parts, String path, String name) {
    public Message {
      Objects.requireNonNull(role, "role");
      parts = List.copyOf(parts);
    }

    public Message(int index, String role, List<Part> parts, String path) {
      this(index, role, parts, path, null);
    }

    public boolean isSystem() {
      return role.equals("system") || role.equals("developer");
    }

    public boolean isUser() {
      return role.equals("user");
    }
  }

  /** A part of a message. */
  public sealed interface Part permits Text, Media {
    /** Where in the request it is, as a JSON path. */
    String path();
  }

  /** Text, including tool calls and tool results, which are text to the model. */
  public record Text(String text, String path) implements Part {
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * An image, audio clip, video or file. Exactly one of {@code dataUrl}, {@code base64} (with
   * {@code mime}) or {@code remoteUrl} is set.
   */
  public record Media(Kind kind, String dataUrl, String base64, String remoteUrl, String mime,
      MediaRules.Detail detail, String path) implements Part {
    public enum Kind { IMAGE, AUDIO, VIDEO, FILE }
  }
}
