package dev.kopeck.core.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kopeck.base.InputException;
import dev.kopeck.pricing.json.Json;
import dev.kopeck.core.estimate.ChatRequest.Message;
import dev.kopeck.core.estimate.ChatRequest.Part;
import dev.kopeck.core.estimate.ChatRequest.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A conversation that keeps each message's count, so appending a message, or checking whether it
 * still fits, costs only the new message, not the million tokens before it. Not thread-safe: one
 * conversation belongs to one request being built.
 */
public final class Conversation {
  private final Estimator estimator;
  private final Estimator.Setup setup;
  private final List<Message> messages = new ArrayList<>();
  private final List<Counts> counts = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Counts total = new Counts();
  ChatRequest request;

  Conversation(Estimator estimator, Estimator.Setup setup) {
    this.estimator = estimator;
    this.setup = setup;
  }

  /** Appends a message, counting it (and only it). */
  public Conversation append(Message m) {
    Counts c = setup.count(m, warnings);
    messages.add(m);
    counts.add(c);
    total.add(c);
    return this;
  }

  /** Removes the last message (an undo of {@link #append}); costs nothing but the subtraction. */
  public Conversation removeLast() {
    if (messages.isEmpty()) {
      throw new IllegalStateException("the conversation is empty");
    }
    int last = messages.size() - 1;
    total.subtract(counts.remove(last));
    messages.remove(last);
    return this;
  }

  /** Appends a text message. */
  public Conversation append(String role, String text) {
    int i = messages.size();
    return append(new Message(i, role, List.of(new Text(text, "$.messages[" + i + "].content")), "$.messages[" + i + "]"));
  }

  public int size() {
    return messages.size();
  }

  /** Input tokens of the conversation so far (messages only; tools are the request's). */
  public long tokens() {
    return setup.request(total, 0) + total.media();
  }

  /** Whether the conversation fits {@code limit} input tokens. */
  public boolean fits(long limit) {
    return tokens() <= limit;
  }

  /** Whether it fits the model's input limit with room for {@code maxOutput} more tokens. */
  public boolean fitsWithOutput(long maxOutput) {
    return tokens() + maxOutput <= setup.contextLimit();
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * The result of fitting a request: the request as it will be sent, and what was dropped or cut.
   *
   * @param request the request as it will be sent, as compact JSON text
   * @param budget the input tokens allowed: the input limit less the requested output
   * @param room what the request as sent takes of its {@code after} input tokens
   */
  public record Fit(String request, long before, long after, long budget, List<String> dropped, boolean fits,
      Room room) {
    public Fit {
      dropped = List.copyOf(dropped);
      java.util.Objects.requireNonNull(room, "room");
    }
  }

  /**
   * What takes the room of a request's input tokens, the parts adding up to its count.
   *
   * @param systemPrompt the system prompt's text (never cut)
   * @param messages the other messages' text, with the chat format's overhead
   * @param media images, audio, video and documents (never cut)
   * @param tools tool declarations and the response schema (never cut)
   */
  public record Room(long systemPrompt, long messages, long media, long tools) {}

  /**
   * Fits the conversation into {@code budget} input tokens (tools and schema included): drops the
   * oldest turns, a turn being a user message and the messages answering it, but keeps the system
   * prompt and the newest user turn; if that is not enough, cuts the longest text part outside the
   * system prompt at a token boundary, when cutting it can make the request fit (media or tools over
   * the limit are left as they are, and the result says it does not fit). Returns the request as it
   * will be sent.
   */
  public Fit fitTo(long budget) {
    if (request == null || request.json() == null) {
      throw new IllegalStateException("only a conversation made from a request parsed from its text can be fitted");
    }
    long fixed = setup.fixed(request, new ArrayList<>());
    long before = tokens() + fixed;
    List<String> dropped = new ArrayList<>();
    boolean[] gone = new boolean[messages.size()];
    Counts kept = new Counts();
    kept.add(total);
    int newestUser = -1;
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).isUser()) {
        newestUser = i;
        break;
      }
    }
    // drop whole turns, oldest first
    int i = 0;
    while (setup.request(kept, fixed) + kept.media() > budget && i < messages.size()) {
      Message m = messages.get(i);
      if (m.isSystem() || i >= newestUser && newestUser >= 0) {
        i++;
        continue;
      }
      int end = i + 1;
      while (end < messages.size() && !messages.get(end).isUser() && !messages.get(end).isSystem() && end < newestUser) {
        end++;
      }
      long freed = 0;
      for (int k = i; k < end; k++) {
        if (!gone[k]) {
          gone[k] = true;
          kept.subtract(counts.get(k));
          freed += setup.text(counts.get(k), 0) + counts.get(k).media();
        }
      }
      dropped.add("dropped " + (end - i == 1 ? "message " + i : "messages " + i + "-" + (end - 1)) + " ("
          + messages.get(i).role() + " turn, " + String.format(java.util.Locale.ROOT, "%,d", freed) + " tokens)");
      i = end;
    }
    JsonNode out = Json.parse(null, request.json());
    long now = setup.request(kept, fixed) + kept.media();
    if (now > budget) {
      // cut the longest text part left, never the system prompt's
      Text longest = null;
      long longestTokens = -1;
      for (int k = 0; k < messages.size(); k++) {
        if (gone[k] || messages.get(k).isSystem()) {
          continue;
        }
        for (Part p : messages.get(k).parts()) {
          if (p instanceof Text t) {
            long n = setup.counter.count(t.text());
            if (n > longestTokens) {
              longestTokens = n;
              longest = t;
            }
          }
        }
      }
      long excess = now - budget;
      // only when cutting it can make the request fit: over-limit media or tools are not text's to pay for
      if (longest != null && longestTokens > 0 && Math.ceil(excess / setup.textRatio.doubleValue()) < longestTokens) {
        long keep = Math.max(0, longestTokens - (long) Math.ceil(excess / setup.textRatio.doubleValue()) - 1);
        CharSequence cut = setup.counter.truncate(longest.text(), (int) keep);
        long cutTokens = setup.counter.count(cut);
        set(out, longest.path(), cut.toString());
        kept.text -= longestTokens - cutTokens;
        dropped.add(String.format(java.util.Locale.ROOT, "cut %s from %,d to %,d tokens", longest.path(), longestTokens,
            cutTokens));
        now = setup.request(kept, fixed) + kept.media();
      }
    }
    removeDropped(out, gone);
    Counts system = new Counts();
    for (int k = 0; k < messages.size(); k++) {
      if (!gone[k] && messages.get(k).isSystem()) {
        system.add(counts.get(k));
      }
    }
    long systemText = system.messages == 0 ? 0 : setup.text(system, 0);
    Room room = new Room(systemText, Math.max(0, now - systemText - kept.media() - fixed), kept.media(), fixed);
    return new Fit(out.toString(), before, now, budget, dropped, now <= budget, room);
  }

  private void removeDropped(JsonNode out, boolean[] gone) {
    String list = switch (request.shape()) {
      case OPENAI -> "messages";
      case OPENAI_RESPONSES -> "input";
      case GEMINI -> "contents";
    };
    JsonNode items = out.get(list);
    if (!items.isArray()) {
      return; // a Responses input given as one string: nothing was dropped from it
    }
    ArrayNode arr = (ArrayNode) items;
    // a system prompt kept outside the list (Gemini's systemInstruction, the Responses' instructions)
    int offset = !messages.isEmpty() && !messages.get(0).path().startsWith("$." + list + "[") ? 1 : 0;
    for (int k = gone.length - 1; k >= 0; k--) {
      if (gone[k]) {
        arr.remove(k - offset);
      }
    }
  }

  private static final Pattern SEGMENT = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)|\\[(\\d+)]");

  /** Sets the string at a JSON path like {@code $.messages[3].content[1].text}. */
  static void set(JsonNode root, String path, String value) {
    Matcher m = SEGMENT.matcher(path.substring(1));
    List<Object> segs = new ArrayList<>();
    while (m.find()) {
      segs.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
    }
    JsonNode node = root;
    for (int k = 0; k < segs.size() - 1; k++) {
      Object s = segs.get(k);
      node = s instanceof String ? node.get((String) s) : node.get((Integer) s);
      if (node == null) {
        throw new InputException(null, path, "no such place in the request");
      }
    }
    Object last = segs.get(segs.size() - 1);
    if (last instanceof String) {
      ((ObjectNode) node).set((String) last, TextNode.valueOf(value));
    } else {
      ((ArrayNode) node).set((Integer) last, TextNode.valueOf(value));
    }
  }

  Estimator estimator() {
    return estimator;
  }
}
