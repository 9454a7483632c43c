package dev.kopeck.spring.ai;

import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequest.Media;
import dev.kopeck.core.estimate.ChatRequest.Message;
import dev.kopeck.core.estimate.ChatRequest.Part;
import dev.kopeck.core.estimate.ChatRequest.Text;
import dev.kopeck.tokens.media.MediaRules;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Content;
import org.springframework.ai.content.MediaContent;

/** Spring AI's prompts and messages as Kopeck reads requests: what its estimates count. */
final class Prompts {
  private Prompts() {}

  static ChatRequest toKopeck(Prompt prompt, String defaultModel) {
    ChatOptions o = prompt.getOptions();
    String model = o != null && o.getModel() != null ? o.getModel() : defaultModel;
    Integer max = o == null ? null : o.getMaxTokens();
    List<Message> messages = new ArrayList<>();
    for (org.springframework.ai.chat.messages.Message m : prompt.getInstructions()) {
      messages.add(message(messages.size(), m));
    }
    return new ChatRequest(model, messages, null, null, max == null ? null : max.longValue(), 1,
        MediaRules.Resolution.UNSPECIFIED, ChatRequest.Shape.OPENAI, null);
  }

  static Message message(int index, Content m) {
    String path = "$.messages[" + index + "]";
    String role = "user";
    List<Part> parts = new ArrayList<>();
    if (m instanceof org.springframework.ai.chat.messages.Message msg) {
      role = switch (msg.getMessageType()) {
        case SYSTEM -> "system";
        case ASSISTANT -> "assistant";
        case TOOL -> "tool";
        default -> "user";
      };
    }
    if (m.getText() != null && !m.getText().isEmpty()) {
      parts.add(new Text(m.getText(), path + ".text"));
    }
    if (m instanceof AssistantMessage a && a.hasToolCalls()) {
      StringBuilder calls = new StringBuilder();
      for (AssistantMessage.ToolCall t : a.getToolCalls()) {
        calls.append(t.name()).append('(').append(t.arguments()).append(")\n");
      }
      parts.add(new Text(calls.toString(), path + ".toolCalls"));
    }
    if (m instanceof ToolResponseMessage t) {
      for (ToolResponseMessage.ToolResponse r : t.getResponses()) {
        parts.add(new Text(r.responseData() == null ? "" : r.responseData(), path + ".responses"));
      }
    }
    if (m instanceof MediaContent mc) {
      int i = 0;
      for (org.springframework.ai.content.Media media : mc.getMedia()) {
        parts.add(media(media, path + ".media[" + i++ + "]"));
      }
    }
    return new Message(index, role, parts, path);
  }

  private static Part media(org.springframework.ai.content.Media m, String path) {
    String mime = m.getMimeType() == null ? "" : m.getMimeType().toString().toLowerCase(Locale.ROOT);
    Media.Kind kind = mime.startsWith("image/") ? Media.Kind.IMAGE : mime.startsWith("audio/") ? Media.Kind.AUDIO
        : mime.startsWith("video/") ? Media.Kind.VIDEO : Media.Kind.FILE;
    Object data = m.getData();
    if (data instanceof byte[] bytes) {
      return new Media(kind, null, Base64.getEncoder().encodeToString(bytes), null, mime, MediaRules.Detail.AUTO, path);
    }
    String u = data instanceof URI uri ? uri.toString() : String.valueOf(data);
    return u.regionMatches(true, 0, "data:", 0, 5)
        ? new Media(kind, u, null, null, mime, MediaRules.Detail.AUTO, path)
        : new Media(kind, null, null, u, mime, MediaRules.Detail.AUTO, path);
  }
}
