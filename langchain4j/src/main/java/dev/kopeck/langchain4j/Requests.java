package dev.kopeck.langchain4j;

import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequest.Media;
import dev.kopeck.core.estimate.ChatRequest.Message;
import dev.kopeck.core.estimate.ChatRequest.Part;
import dev.kopeck.core.estimate.ChatRequest.Text;
import dev.kopeck.tokens.media.MediaRules;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.message.VideoContent;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** LangChain4j's requests and messages as Kopeck reads requests: what its estimates count. */
final class Requests {
  private Requests() {}

  /** A LangChain4j request, with the model's defaults where it leaves a parameter out. */
  static ChatRequest toKopeck(dev.langchain4j.model.chat.request.ChatRequest r, ChatRequestParameters defaults) {
    ChatRequestParameters p = r.parameters();
    String model = first(p == null ? null : p.modelName(), defaults == null ? null : defaults.modelName());
    Integer max = first(p == null ? null : p.maxOutputTokens(), defaults == null ? null : defaults.maxOutputTokens());
    List<ToolSpecification> specs = first(p == null ? null : nonEmpty(p.toolSpecifications()),
        defaults == null ? null : nonEmpty(defaults.toolSpecifications()));
    List<Message> messages = new ArrayList<>();
    for (ChatMessage m : r.messages()) {
      messages.add(message(messages.size(), m));
    }
    // tool declarations and a schema are counted as their text, as the HTTP integrations count their JSON
    String tools = specs == null ? null : specs.toString();
    String schema = p != null && p.responseFormat() != null && p.responseFormat().jsonSchema() != null
        ? p.responseFormat().jsonSchema().toString() : null;
    return new ChatRequest(model, messages, tools, schema, max == null ? null : max.longValue(), 1,
        MediaRules.Resolution.UNSPECIFIED, ChatRequest.Shape.OPENAI, null);
  }

  /** One message, at {@code index} of its conversation. */
  static Message message(int index, ChatMessage m) {
    String path = "$.messages[" + index + "]";
    if (m instanceof SystemMessage s) {
      return new Message(index, "system", List.of(new Text(s.text(), path)), path);
    }
    if (m instanceof UserMessage u) {
      List<Part> parts = new ArrayList<>();
      for (Content c : u.contents()) {
        parts.add(part(c, path + ".contents[" + parts.size() + "]"));
      }
      return new Message(index, "user", parts, path);
    }
    if (m instanceof AiMessage a) {
      List<Part> parts = new ArrayList<>();
      if (a.text() != null) {
        parts.add(new Text(a.text(), path + ".text"));
      }
      if (a.hasToolExecutionRequests()) {
        StringBuilder calls = new StringBuilder();
        for (ToolExecutionRequest t : a.toolExecutionRequests()) {
          calls.append(t.name()).append('(').append(t.arguments()).append(")\n");
        }
        parts.add(new Text(calls.toString(), path + ".toolExecutionRequests"));
      }
      return new Message(index, "assistant", parts, path);
    }
    if (m instanceof ToolExecutionResultMessage t) {
      return new Message(index, "tool", List.of(new Text(t.text() == null ? "" : t.text(), path + ".text")), path);
    }
    throw new IllegalArgumentException(path + ": Kopeck cannot estimate a message of type " + m.type());
  }

  private static Part part(Content c, String path) {
    if (c instanceof TextContent t) {
      return new Text(t.text(), path);
    }
    if (c instanceof ImageContent i) {
      MediaRules.Detail d = switch (i.detailLevel() == null ? ImageContent.DetailLevel.AUTO : i.detailLevel()) {
        case LOW -> MediaRules.Detail.LOW;
        case HIGH, ULTRA_HIGH -> MediaRules.Detail.HIGH;
        default -> MediaRules.Detail.AUTO;
      };
      return media(Media.Kind.IMAGE, i.image().url(), i.image().base64Data(), i.image().mimeType(), d, path);
    }
    if (c instanceof AudioContent a) {
      String data = a.audio().base64Data() != null ? a.audio().base64Data()
          : a.audio().binaryData() != null ? Base64.getEncoder().encodeToString(a.audio().binaryData()) : null;
      return media(Media.Kind.AUDIO, a.audio().url(), data, a.audio().mimeType(), MediaRules.Detail.AUTO, path);
    }
    if (c instanceof VideoContent v) {
      return media(Media.Kind.VIDEO, v.video().url(), v.video().base64Data(), v.video().mimeType(),
          MediaRules.Detail.AUTO, path);
    }
    if (c instanceof PdfFileContent f) {
      return media(Media.Kind.FILE, f.pdfFile().url(), f.pdfFile().base64Data(),
          f.pdfFile().mimeType() != null ? f.pdfFile().mimeType() : "application/pdf", MediaRules.Detail.AUTO, path);
    }
    throw new IllegalArgumentException(path + ": Kopeck cannot estimate content of type " + c.type());
  }

  private static Media media(Media.Kind kind, URI url, String base64, String mime, MediaRules.Detail d, String path) {
    if (base64 != null) {
      return new Media(kind, null, base64, null, mime, d, path);
    }
    if (url == null) {
      throw new IllegalArgumentException(path + ": media with neither data nor a URL");
    }
    String u = url.toString();
    return u.regionMatches(true, 0, "data:", 0, 5) ? new Media(kind, u, null, null, mime, d, path)
        : new Media(kind, null, null, u, mime, d, path);
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }

  private static <T> List<T> nonEmpty(List<T> l) {
    return l == null || l.isEmpty() ? null : l;
  }
}
