package dev.kopeck.tokens.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.kopeck.tokens.TokenCounter;
import java.util.List;

/**
 * OpenAI's encodings through JTokkit. Special tokens written in the text ({@code <|endoftext|>})
 * count as one token each, as tiktoken's {@code encode(text, allowed_special="all")} does; the rest
 * is encoded as ordinary text.
 */
final class TiktokenCounter implements TokenCounter {
  private final String id;
  private final Encoding enc;
  private final List<String> specials;
  private final int[] specialIds;

  TiktokenCounter(String id) {
    this.id = id;
    EncodingType type = id.equals("o200k_base") ? EncodingType.O200K_BASE : EncodingType.CL100K_BASE;
    this.enc = Encodings.newDefaultEncodingRegistry().getEncoding(type);
    // tiktoken's special tokens and their ids (tiktoken_ext/openai_public.py)
    if (type == EncodingType.O200K_BASE) {
      this.specials = List.of("<|endoftext|>", "<|endofprompt|>");
      this.specialIds = new int[] {199999, 200018};
    } else {
      this.specials = List.of("<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>");
      this.specialIds = new int[] {100257, 100258, 100259, 100260, 100276};
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int count(CharSequence text) {
    return countUpTo(text, Integer.MAX_VALUE - 1);
  }

  @Override
  public int countUpTo(CharSequence text, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    String s = text.toString();
    long total = 0;
    int from = 0;
    while (true) {
      int[] hit = nextSpecial(s, from);
      int end = hit == null ? s.length() : hit[0];
      if (end > from) {
        int room = (int) Math.min(Integer.MAX_VALUE - 1L, limit - total + 1);
        // JTokkit stops before a piece that would pass maxTokens and says it truncated
        com.knuddels.jtokkit.api.EncodingResult r = enc.encodeOrdinary(s.substring(from, end), room);
        if (r.isTruncated()) {
          return limit + 1;
        }
        total += r.getTokens().size();
      }
      if (total > limit) {
        return limit + 1;
      }
      if (hit == null) {
        return (int) total;
      }
      total++;
      from = hit[0] + hit[1];
    }
  }

  /** The next special token at or after {@code from}: {position, length, id}, or null. */
  private int[] nextSpecial(String s, int from) {
    int best = -1;
    int k = -1;
    for (int j = 0; j < specials.size(); j++) {
      int i = s.indexOf(specials.get(j), from);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
        k = j;
      }
    }
    return best < 0 ? null : new int[] {best, specials.get(k).length(), specialIds[k]};
  }

  @Override
  public int[] encode(CharSequence text) {
    String s = text.toString();
    IntArrayList out = new IntArrayList();
    int from = 0;
    while (true) {
      int[] hit = nextSpecial(s, from);
      int end = hit == null ? s.length() : hit[0];
      if (end > from) {
        IntArrayList part = enc.encodeOrdinary(s.substring(from, end));
        for (int i = 0; i < part.size(); i++) {
          out.add(part.get(i));
        }
      }
      if (hit == null) {
        return out.toArray();
      }
      out.add(hit[2]);
      from = hit[0] + hit[1];
    }
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder();
    IntArrayList run = new IntArrayList(ids.length);
    for (int id : ids) {
      int k = indexOf(specialIds, id);
      if (k < 0) {
        run.add(id);
        continue;
      }
      if (!run.isEmpty()) {
        sb.append(enc.decode(run));
        run.clear();
      }
      sb.append(specials.get(k));
    }
    if (!run.isEmpty()) {
      sb.append(enc.decode(run));
    }
    return sb.toString();
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public CharSequence truncate(CharSequence text, int maxTokens) {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must not be negative: " + maxTokens);
    }
    int[] ids = encode(text);
    if (ids.length <= maxTokens) {
      return text;
    }
    int[] head = java.util.Arrays.copyOf(ids, maxTokens);
    String prefix = decode(head);
    // a token may end inside a character: drop a trailing replacement character
    while (!prefix.isEmpty() && !text.toString().startsWith(prefix)) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix;
  }
}
