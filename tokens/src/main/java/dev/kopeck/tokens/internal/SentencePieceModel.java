package dev.kopeck.tokens.internal;

import dev.kopeck.base.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a SentencePiece {@code .model} (a protobuf {@code ModelProto}) of a BPE model into a
 * {@link BpeVocabulary}.
 *
 * <p>SentencePiece's BPE repeatedly joins the adjacent pair whose concatenation is a piece with the
 * highest score, leftmost first. That is the merge-list algorithm with one merge {@code (a, b)} for
 * every way of splitting a piece into two pieces (or single characters), ranked by the piece's
 * score; pieces of equal score share a rank, so ties go to the leftmost pair, as in SentencePiece.
 * User-defined pieces are matched in the raw text like added tokens.
 *
 * <p>Supported: {@code model_type: BPE}, whitespace escaped to {@code ▁}, no dummy prefix, no
 * whitespace collapsing, the {@code identity} normalization (Gemma's settings). Other settings are
 * refused with the name of the field, rather than counted wrong.
 */
public final class SentencePieceModel {
  private static final int NORMAL = 1;
  private static final int UNKNOWN = 2;
  private static final int CONTROL = 3;
  private static final int USER_DEFINED = 4;
  private static final int UNUSED = 5;
  private static final int BYTE = 6;

  private SentencePieceModel() {}

  public static BpeVocabulary read(String source, InputStream in) throws IOException {
    byte[] b = in.readAllBytes();
    List<String> pieces = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    List<Integer> types = new ArrayList<>();
    int modelType = 1;
    boolean byteFallback = false;
    boolean addDummyPrefix = true;
    boolean removeExtraWhitespaces = true;
    boolean escapeWhitespaces = true;
    String normalization = "nmt_nfkc";
    Reader r = new Reader(source, b, 0, b.length);
    while (r.more()) {
      int tag = r.varint32();
      int field = tag >>> 3;
      if (field == 1 && (tag & 7) == 2) {
        Reader p = r.sub();
        String piece = null;
        float score = 0;
        int type = NORMAL;
        while (p.more()) {
          int t = p.varint32();
          switch (t) {
            case (1 << 3) | 2:
              piece = p.string();
              break;
            case (2 << 3) | 5:
              score = Float.intBitsToFloat(p.fixed32());
              break;
            case (3 << 3):
              type = p.varint32();
              break;
            default:
              p.skip(t);
          }
        }
        if (piece == null) {
          throw new InputException(source, "byte " + r.pos, "a piece without text");
        }
        pieces.add(piece);
        scores.add(score);
        types.add(type);
      } else if (field == 2 && (tag & 7) == 2) {
        Reader t = r.sub();
        while (t.more()) {
          int tt = t.varint32();
          if (tt == (3 << 3)) {
            modelType = t.varint32();
          } else if (tt == (35 << 3)) {
            byteFallback = t.varint32() != 0;
          } else {
            t.skip(tt);
          }
        }
      } else if (field == 3 && (tag & 7) == 2) {
        Reader n = r.sub();
        while (n.more()) {
          int tt = n.varint32();
          if (tt == ((1 << 3) | 2)) {
            normalization = n.string();
          } else if (tt == (3 << 3)) {
            addDummyPrefix = n.varint32() != 0;
          } else if (tt == (4 << 3)) {
            removeExtraWhitespaces = n.varint32() != 0;
          } else if (tt == (5 << 3)) {
            escapeWhitespaces = n.varint32() != 0;
          } else {
            n.skip(tt);
          }
        }
      } else {
        r.skip(tag);
      }
    }
    if (modelType != 2) {
      throw new InputException(source, "trainer_spec.model_type", "only BPE models (2) are supported, found " + modelType);
    }
    if (addDummyPrefix) {
      throw new InputException(source, "normalizer_spec.add_dummy_prefix", "not supported: true (Gemma uses false)");
    }
    if (removeExtraWhitespaces) {
      throw new InputException(source, "normalizer_spec.remove_extra_whitespaces", "not supported: true (Gemma uses false)");
    }
    if (!escapeWhitespaces) {
      throw new InputException(source, "normalizer_spec.escape_whitespaces", "not supported: false");
    }
    if (!normalization.equals("identity")) {
      throw new InputException(source, "normalizer_spec.name", "only the identity normalization is supported, found "
          + normalization);
    }
    if (pieces.isEmpty()) {
      throw new InputException(source, "pieces", "no pieces");
    }
    return toVocabulary(pieces, scores, types, byteFallback);
  }

  private static BpeVocabulary toVocabulary(List<String> pieces, List<Float> scores, List<Integer> types,
      boolean byteFallback) {
    int n = pieces.size();
    Map<String, Integer> mergeable = new HashMap<>(n * 2);
    int unk = -1;
    List<String> added = new ArrayList<>();
    List<Integer> addedIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int t = types.get(i);
      if (t == NORMAL || t == USER_DEFINED) {
        mergeable.putIfAbsent(pieces.get(i), i);
      }
      if (t == UNKNOWN && unk < 0) {
        unk = i;
      }
      if (t == USER_DEFINED) {
        added.add(pieces.get(i));
        addedIds.add(i);
      }
    }
    // dense rank of scores, highest first: equal scores share a rank
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Float.compare(scores.get(y), scores.get(x)));
    int[] scoreRank = new int[n];
    int rank = -1;
    float last = Float.NaN;
    for (Integer i : order) {
      if (rank < 0 || Float.compare(scores.get(i), last) != 0) {
        rank++;
        last = scores.get(i);
      }
      scoreRank[i] = rank;
    }
    // single characters that are pieces (or not: then byte fallback) are the starting symbols
    List<int[]> merges = new ArrayList<>();
    for (Integer target : order) {
      int t = types.get(target);
      if (t != NORMAL && t != USER_DEFINED) {
        continue;
      }
      String p = pieces.get(target);
      for (int k = p.offsetByCodePoints(0, 1); k < p.length(); k = p.offsetByCodePoints(k, 1)) {
        Integer a = mergeable.get(p.substring(0, k));
        Integer c = mergeable.get(p.substring(k));
        if (a != null && c != null) {
          merges.add(new int[] {a, c, target, scoreRank[target]});
        }
      }
    }
    merges.sort((x, y) -> Integer.compare(x[3], y[3]));
    int[] ml = new int[merges.size()];
    int[] mr = new int[merges.size()];
    int[] mres = new int[merges.size()];
    int[] ranks = new int[merges.size()];
    for (int i = 0; i < ml.length; i++) {
      int[] m = merges.get(i);
      ml[i] = m[0];
      mr[i] = m[1];
      mres[i] = m[2];
      ranks[i] = m[3];
    }
    String[] arr = pieces.toArray(new String[0]);
    for (int i = 0; i < n; i++) {
      int t = types.get(i);
      if (t == CONTROL || t == UNUSED) {
        // not produced by encoding; keep the text for decoding only
        continue;
      }
      if (t == BYTE && !arr[i].matches("<0x[0-9A-F]{2}>")) {
        throw new InputException(null, "pieces[" + i + "]", "a byte piece that is not <0xXX>: " + arr[i]);
      }
    }
    BpeVocabulary v = BpeVocabulary.fromPieces(arr, ml, mr, mres, added.toArray(new String[0]),
        addedIds.stream().mapToInt(Integer::intValue).toArray(), byteFallback, false, unk);
    return v.withRanks(ranks);
  }

  /** A protobuf reader over a byte range; errors name the byte offset. */
  private static final class Reader {
    final String source;
    final byte[] b;
    int pos;
    final int end;

    Reader(String source, byte[] b, int pos, int end) {
      this.source = source;
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    int varint32() {
      return (int) varint();
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw truncated();
        }
        int x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new InputException(source, "byte " + pos, "malformed varint");
    }

    int fixed32() {
      if (pos + 4 > end) {
        throw truncated();
      }
      int v = (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24;
      pos += 4;
      return v;
    }

    Reader sub() {
      long len = varint();
      if (len < 0 || pos + len > end) {
        throw truncated();
      }
      Reader r = new Reader(source, b, pos, pos + (int) len);
      pos += (int) len;
      return r;
    }

    String string() {
      Reader s = sub();
      return new String(b, s.pos, s.end - s.pos, StandardCharsets.UTF_8);
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0:
          varint();
          break;
        case 1:
          pos += 8;
          break;
        case 2:
          sub();
          break;
        case 5:
          pos += 4;
          break;
        default:
          throw new InputException(source, "byte " + pos, "unsupported protobuf wire type " + (tag & 7));
      }
      if (pos > end) {
        throw truncated();
      }
    }

    InputException truncated() {
      return new InputException(source, "byte " + pos, "truncated SentencePiece model");
    }
  }
}
