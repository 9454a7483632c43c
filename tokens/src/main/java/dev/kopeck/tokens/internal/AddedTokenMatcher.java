package dev.kopeck.tokens.internal;

import java.util.Map;
import java.util.TreeMap;

/**
 * Finds added tokens ({@code <start_of_turn>}, runs of newlines, ...) in raw text, leftmost-longest
 * as HuggingFace's added vocabulary does. A trie of characters; immutable, thread-safe.
 */
final class AddedTokenMatcher {
  private final boolean[] first = new boolean[65536];
  private final Node root;

  AddedTokenMatcher(String[] contents, int[] ids) {
    Builder b = new Builder();
    for (int i = 0; i < contents.length; i++) {
      Builder n = b;
      for (int k = 0; k < contents[i].length(); k++) {
        n = n.kids.computeIfAbsent(contents[i].charAt(k), c -> new Builder());
      }
      if (n.id < 0) {
        n.id = ids[i];
      }
      first[contents[i].charAt(0)] = true;
    }
    root = b.freeze();
  }

  boolean mayStart(char c) {
    return first[c];
  }

  /** The longest added token starting at {@code at}: {@code (id << 32) | length}, or 0 if none. */
  long match(CharSequence text, int at) {
    Node n = root;
    long best = 0;
    for (int i = at; i < text.length(); i++) {
      n = n.child(text.charAt(i));
      if (n == null) {
        break;
      }
      if (n.id >= 0) {
        best = ((long) n.id << 32) | (i - at + 1);
      }
    }
    return best;
  }

  private static final class Node {
    final char[] keys;
    final Node[] kids;
    final int id;

    Node(char[] keys, Node[] kids, int id) {
      this.keys = keys;
      this.kids = kids;
      this.id = id;
    }

    Node child(char c) {
      int lo = 0;
      int hi = keys.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        char k = keys[mid];
        if (k < c) {
          lo = mid + 1;
        } else if (k > c) {
          hi = mid - 1;
        } else {
          return kids[mid];
        }
      }
      return null;
    }
  }

  private static final class Builder {
    final Map<Character, Builder> kids = new TreeMap<>();
    int id = -1;

    Node freeze() {
      char[] keys = new char[kids.size()];
      Node[] nodes = new Node[kids.size()];
      int i = 0;
      for (Map.Entry<Character, Builder> e : kids.entrySet()) {
        keys[i] = e.getKey();
        nodes[i] = e.getValue().freeze();
        i++;
      }
      return new Node(keys, nodes, id);
    }
  }
}
