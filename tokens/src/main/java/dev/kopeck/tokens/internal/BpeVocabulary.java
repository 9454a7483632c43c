package dev.kopeck.tokens.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kopeck.base.InputException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece-style BPE vocabulary as HuggingFace {@code tokenizer.json} describes it (Gemma,
 * Gemma 3): pieces, ranked merges, byte fallback, added tokens matched on the raw text, and a
 * normalizer that replaces spaces with {@code ▁}.
 *
 * <p>It is read from a {@code tokenizer.json} (at build time, or from a user's file) and kept in a
 * compact binary form ({@link #write}, {@link #read}) that loads in well under a second.
 */
public final class BpeVocabulary {
  static final char MARKER = '\u2581';
  private static final int MAGIC = 0x4B425045; // "KBPE"
  private static final int VERSION = 3;

  /** Every piece's UTF-16 text, one after another; piece {@code id} is {@code blob[start[id], start[id] + len[id])}. */
  final char[] blob;
  final int[] start;
  /** A piece's length in chars; -1 for an id with no piece. */
  final int[] len;
  final int[] mergeLeft;
  final int[] mergeRight;
  final int[] mergeResult;
  /** Each merge's rank; null when a merge's rank is its index (tokenizer.json order). */
  final int[] mergeRank;
  final String[] addedContents;
  final int[] addedIds;
  final boolean byteFallback;
  final boolean fuseUnk;
  final int unkId;

  // derived at load
  final int[] bmpId = new int[65536];
  final Map<Integer, Integer> supplementaryId = new HashMap<>();
  final int[] byteId = new int[256];
  final MergeTable merges;
  /** Merges whose left side ends with a non-marker and right side starts with the marker. */
  final String[][] crossMerges;
  /**
   * Every (last character of a, first character of b) over the merges (a, b), as {@code x << 16 | y}:
   * two neighbouring characters not in this set can never be joined by a merge.
   */
  final IntSet seams;
  /**
   * Whether some merge involves a byte-fallback or unknown token. Then the characters of the text
   * do not tell which merges can happen, and the tokenizer must not cut the text at all.
   */
  final boolean mergesTouchFallback;

  static BpeVocabulary fromPieces(String[] pieces, int[] mergeLeft, int[] mergeRight, int[] mergeResult,
      String[] addedContents, int[] addedIds, boolean byteFallback, boolean fuseUnk, int unkId) {
    int total = 0;
    for (String p : pieces) {
      total += p == null ? 0 : p.length();
    }
    char[] blob = new char[total];
    int[] start = new int[pieces.length];
    int[] len = new int[pieces.length];
    int at = 0;
    for (int i = 0; i < pieces.length; i++) {
      start[i] = at;
      if (pieces[i] == null) {
        len[i] = -1;
        continue;
      }
      pieces[i].getChars(0, pieces[i].length(), blob, at);
      len[i] = pieces[i].length();
      at += len[i];
    }
    return new BpeVocabulary(blob, start, len, mergeLeft, mergeRight, mergeResult, addedContents, addedIds,
        byteFallback, fuseUnk, unkId);
  }

  BpeVocabulary(char[] blob, int[] start, int[] len, int[] mergeLeft, int[] mergeRight, int[] mergeResult,
      String[] addedContents, int[] addedIds, boolean byteFallback, boolean fuseUnk, int unkId) {
    this(blob, start, len, mergeLeft, mergeRight, mergeResult, null, addedContents, addedIds, byteFallback, fuseUnk,
        unkId);
  }

  BpeVocabulary(char[] blob, int[] start, int[] len, int[] mergeLeft, int[] mergeRight, int[] mergeResult,
      int[] mergeRank, String[] addedContents, int[] addedIds, boolean byteFallback, boolean fuseUnk, int unkId) {
    this.mergeRank = mergeRank;
    this.blob = blob;
    this.start = start;
    this.len = len;
    this.mergeLeft = mergeLeft;
    this.mergeRight = mergeRight;
    this.mergeResult = mergeResult;
    this.addedContents = addedContents;
    this.addedIds = addedIds;
    this.byteFallback = byteFallback;
    this.fuseUnk = fuseUnk;
    this.unkId = unkId;
    Arrays.fill(bmpId, -1);
    Arrays.fill(byteId, -1);
    for (int id = 0; id < len.length; id++) {
      int l = len[id];
      int s0 = start[id];
      if (l == 1) {
        bmpId[blob[s0]] = id;
      } else if (l == 2 && Character.isSurrogatePair(blob[s0], blob[s0 + 1])) {
        supplementaryId.put(Character.toCodePoint(blob[s0], blob[s0 + 1]), id);
      } else if (l == 6 && blob[s0] == '<' && blob[s0 + 1] == '0' && blob[s0 + 2] == 'x' && blob[s0 + 5] == '>') {
        int hi = Character.digit(blob[s0 + 3], 16);
        int lo = Character.digit(blob[s0 + 4], 16);
        if (hi >= 0 && lo >= 0 && Character.isUpperCase(blob[s0 + 3]) == Character.isLetter(blob[s0 + 3])
            && Character.isUpperCase(blob[s0 + 4]) == Character.isLetter(blob[s0 + 4])) {
          byteId[hi * 16 + lo] = id;
        }
      }
    }
    merges = new MergeTable(mergeLeft, mergeRight, mergeRank, mergeResult);
    seams = new IntSet(1 << 16);
    boolean touch = false;
    boolean[] fallback = new boolean[len.length];
    for (int b : byteId) {
      if (b >= 0) {
        fallback[b] = true;
      }
    }
    if (unkId >= 0 && unkId < fallback.length) {
      fallback[unkId] = true;
    }
    List<String[]> cross = new ArrayList<>();
    for (int rank = 0; rank < mergeLeft.length; rank++) {
      int a = mergeLeft[rank];
      int b = mergeRight[rank];
      char last = blob[start[a] + len[a] - 1];
      char first = blob[start[b]];
      if (last != MARKER && first == MARKER) {
        cross.add(new String[] {piece(a), piece(b)});
      }
      seams.add((last << 16) | first);
      touch |= fallback[mergeLeft[rank]] || fallback[mergeRight[rank]];
    }
    crossMerges = cross.toArray(new String[0][]);
    mergesTouchFallback = touch;
  }

  /** "N pieces, M merges, K added tokens, C cross-boundary merges", for a build log. */
  public String summary() {
    return size() + " pieces, " + mergeLeft.length + " merges, " + addedIds.length + " added tokens, "
        + crossMerges.length + " cross-boundary merges";
  }

  public int size() {
    return len.length;
  }

  /** The same vocabulary with explicit merge ranks (equal ranks tie, leftmost first). */
  BpeVocabulary withRanks(int[] ranks) {
    return new BpeVocabulary(blob, start, len, mergeLeft, mergeRight, mergeResult, ranks, addedContents, addedIds,
        byteFallback, fuseUnk, unkId);
  }

  /** The text of piece {@code id}, or null if the id has none. */
  String piece(int id) {
    return len[id] < 0 ? null : new String(blob, start[id], len[id]);
  }

  // ---- tokenizer.json ----

  /**
   * Reads a HuggingFace {@code tokenizer.json} of a BPE model with byte fallback and a space-to-▁
   * normalizer (the Gemma family). Anything else is refused with the JSON path of what differs.
   */
  public static BpeVocabulary fromTokenizerJson(String source, InputStream in) throws IOException {
    Map<String, Integer> vocab = null;
    List<String[]> mergePairs = null;
    List<Object[]> added = new ArrayList<>();
    boolean byteFallback = false;
    boolean fuseUnk = false;
    String unk = null;
    String modelType = null;
    JsonFactory f = new JsonFactory();
    try (JsonParser p = f.createParser(in)) {
      expect(p, JsonToken.START_OBJECT, source, "$");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "model":
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String mf = p.currentName();
              p.nextToken();
              switch (mf) {
                case "type":
                  modelType = p.getText();
                  break;
                case "vocab":
                  vocab = readVocab(p, source);
                  break;
                case "merges":
                  mergePairs = readMerges(p, source);
                  break;
                case "byte_fallback":
                  byteFallback = p.getValueAsBoolean();
                  break;
                case "fuse_unk":
                  fuseUnk = p.getValueAsBoolean();
                  break;
                case "unk_token":
                  unk = p.currentToken() == JsonToken.VALUE_NULL ? null : p.getText();
                  break;
                case "continuing_subword_prefix":
                case "end_of_word_suffix":
                  if (p.currentToken() != JsonToken.VALUE_NULL) {
                    throw new InputException(source, "$.model." + mf, "not supported: " + p.getText());
                  }
                  break;
                default:
                  p.skipChildren();
              }
            }
            break;
          case "added_tokens":
            expect(p, JsonToken.START_ARRAY, source, "$.added_tokens", true);
            int i = 0;
            while (p.nextToken() == JsonToken.START_OBJECT) {
              Integer id = null;
              String content = null;
              boolean normalized = false;
              boolean strip = false;
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String af = p.currentName();
                p.nextToken();
                switch (af) {
                  case "id":
                    id = p.getIntValue();
                    break;
                  case "content":
                    content = p.getText();
                    break;
                  case "normalized":
                    normalized = p.getValueAsBoolean();
                    break;
                  case "lstrip":
                  case "rstrip":
                  case "single_word":
                    strip |= p.getValueAsBoolean();
                    break;
                  default:
                    p.skipChildren();
                }
              }
              String path = "$.added_tokens[" + i + "]";
              if (id == null || content == null || content.isEmpty()) {
                throw new InputException(source, path, "an added token needs an id and a non-empty content");
              }
              if (normalized || strip) {
                throw new InputException(source, path,
                    "added tokens that are normalized, stripped or single-word are not supported");
              }
              added.add(new Object[] {content, id});
              i++;
            }
            break;
          case "normalizer":
            checkNormalizer(p, source);
            break;
          case "pre_tokenizer":
            checkPreTokenizer(p, source);
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InputException(source, "line " + e.getLocation().getLineNr(), "malformed JSON: " + e.getOriginalMessage());
    }
    if (!"BPE".equals(modelType)) {
      throw new InputException(source, "$.model.type", "only BPE models are supported, found " + modelType);
    }
    if (vocab == null || mergePairs == null) {
      throw new InputException(source, "$.model", "needs a vocab and merges");
    }
    int size = 0;
    for (int id : vocab.values()) {
      size = Math.max(size, id + 1);
    }
    for (Object[] a : added) {
      size = Math.max(size, (Integer) a[1] + 1);
    }
    String[] pieces = new String[size];
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      pieces[e.getValue()] = e.getKey();
    }
    String[] addedContents = new String[added.size()];
    int[] addedIds = new int[added.size()];
    for (int i = 0; i < added.size(); i++) {
      addedContents[i] = (String) added.get(i)[0];
      addedIds[i] = (Integer) added.get(i)[1];
      if (pieces[addedIds[i]] == null) {
        pieces[addedIds[i]] = addedContents[i];
      }
    }
    int[] ml = new int[mergePairs.size()];
    int[] mr = new int[mergePairs.size()];
    int[] mres = new int[mergePairs.size()];
    for (int i = 0; i < ml.length; i++) {
      String[] m = mergePairs.get(i);
      Integer a = vocab.get(m[0]);
      Integer b = vocab.get(m[1]);
      Integer r = vocab.get(m[0] + m[1]);
      if (a == null || b == null || r == null) {
        throw new InputException(source, "$.model.merges[" + i + "]", "a merge of pieces not in the vocabulary: "
            + m[0] + " + " + m[1]);
      }
      ml[i] = a;
      mr[i] = b;
      mres[i] = r;
    }
    Integer unkId = unk == null ? null : vocab.get(unk);
    return fromPieces(pieces, ml, mr, mres, addedContents, addedIds, byteFallback, fuseUnk,
        unkId == null ? -1 : unkId);
  }

  private static Map<String, Integer> readVocab(JsonParser p, String source) throws IOException {
    expect(p, JsonToken.START_OBJECT, source, "$.model.vocab", true);
    Map<String, Integer> vocab = new HashMap<>(1 << 19);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String piece = p.currentName();
      p.nextToken();
      vocab.put(piece, p.getIntValue());
    }
    return vocab;
  }

  private static List<String[]> readMerges(JsonParser p, String source) throws IOException {
    expect(p, JsonToken.START_ARRAY, source, "$.model.merges", true);
    List<String[]> merges = new ArrayList<>(600_000);
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_STRING) {
        String s = p.getText();
        int sp = s.indexOf(' ');
        if (sp <= 0 || s.indexOf(' ', sp + 1) >= 0) {
          throw new InputException(source, "$.model.merges[" + merges.size() + "]", "expected \"a b\", found \"" + s + "\"");
        }
        merges.add(new String[] {s.substring(0, sp), s.substring(sp + 1)});
      } else if (t == JsonToken.START_ARRAY) {
        p.nextToken();
        String a = p.getText();
        p.nextToken();
        String b = p.getText();
        if (p.nextToken() != JsonToken.END_ARRAY) {
          throw new InputException(source, "$.model.merges[" + merges.size() + "]", "expected a pair");
        }
        merges.add(new String[] {a, b});
      } else {
        throw new InputException(source, "$.model.merges[" + merges.size() + "]", "expected a pair");
      }
    }
    return merges;
  }

  /** The JSON of the value at the parser's current token, compact, as written in the file. */
  private static String structure(JsonParser p) throws IOException {
    java.io.StringWriter w = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = p.getCodec() != null
        ? p.getCodec().getFactory().createGenerator(w) : new JsonFactory().createGenerator(w)) {
      g.copyCurrentStructure(p);
    }
    return w.toString();
  }

  /** Only {@code Replace(" " → "▁")}, alone or in a Sequence, or none. */
  private static void checkNormalizer(JsonParser p, String source) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      throw new InputException(source, "$.normalizer", "expected the Replace(\" \" → \"▁\") normalizer, found null");
    }
    String json = structure(p);
    if (!json.equals("{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},\"content\":\"\u2581\"}")) {
      throw new InputException(source, "$.normalizer", "only the Replace(\" \" → \"▁\") normalizer is supported, found "
          + json);
    }
  }

  /** None, or {@code Split(" ")} that never matches once spaces became ▁. */
  private static void checkPreTokenizer(JsonParser p, String source) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return;
    }
    String json = structure(p);
    if (!json.startsWith("{\"type\":\"Split\",\"pattern\":{\"String\":\" \"}")) {
      throw new InputException(source, "$.pre_tokenizer", "only no pre-tokenizer, or a Split on \" \" (a no-op after "
          + "the normalizer), is supported; found " + json);
    }
  }

  private static void expect(JsonParser p, JsonToken want, String source, String path) throws IOException {
    expect(p, want, source, path, false);
  }

  private static void expect(JsonParser p, JsonToken want, String source, String path, boolean current)
      throws IOException {
    JsonToken t = current ? p.currentToken() : p.nextToken();
    if (t != want) {
      throw new InputException(source, path, "expected " + want + ", found " + t);
    }
  }

  // ---- binary form ----

  /** Writes the compact binary form. */
  public void write(OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt((byteFallback ? 1 : 0) | (fuseUnk ? 2 : 0));
    out.writeInt(unkId);
    out.writeInt(len.length);
    for (int l : len) {
      out.writeInt(l);
    }
    out.writeInt(blob.length);
    for (char c : blob) {
      out.writeChar(c);
    }
    // column by column, so that each loads with one bulk read
    out.writeInt(mergeLeft.length);
    for (int[] column : new int[][] {mergeLeft, mergeRight, mergeResult}) {
      for (int x : column) {
        out.writeInt(x);
      }
    }
    out.writeBoolean(mergeRank != null);
    if (mergeRank != null) {
      for (int r : mergeRank) {
        out.writeInt(r);
      }
    }
    out.writeInt(addedIds.length);
    for (int i = 0; i < addedIds.length; i++) {
      out.writeInt(addedIds[i]);
      byte[] b = addedContents[i].getBytes(StandardCharsets.UTF_8);
      out.writeShort(b.length);
      out.write(b);
    }
    out.flush();
  }

  /** Reads the binary form written by {@link #write}. */
  public static BpeVocabulary read(String source, InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    ByteBuffer b = ByteBuffer.wrap(all);
    try {
      if (b.getInt() != MAGIC || b.getInt() != VERSION) {
        throw new InputException(source, "byte 0", "not a Kopeck vocabulary (version " + VERSION + ")");
      }
      int flags = b.getInt();
      int unkId = b.getInt();
      int n = b.getInt();
      int[] len = Binary.ints(b, n);
      int[] ends = Binary.starts(len);
      int[] start = Arrays.copyOf(ends, n);
      char[] blob = new char[b.getInt()];
      if (blob.length != ends[n]) {
        throw new InputException(source, "byte " + b.position(), "piece lengths do not add up");
      }
      b.asCharBuffer().get(blob);
      b.position(b.position() + 2 * blob.length);
      int m = b.getInt();
      int[] ml = Binary.ints(b, m);
      int[] mr = Binary.ints(b, m);
      int[] mres = Binary.ints(b, m);
      int[] ranks = null;
      if (b.get() != 0) {
        ranks = new int[m];
        b.asIntBuffer().get(ranks);
        b.position(b.position() + 4 * m);
      }
      int a = b.getInt();
      int[] addedIds = new int[a];
      String[] added = new String[a];
      for (int i = 0; i < a; i++) {
        addedIds[i] = b.getInt();
        int bytes = b.getShort() & 0xFFFF;
        added[i] = new String(all, b.position(), bytes, StandardCharsets.UTF_8);
        b.position(b.position() + bytes);
      }
      return new BpeVocabulary(blob, start, len, ml, mr, mres, ranks, added, addedIds, (flags & 1) != 0,
          (flags & 2) != 0, unkId);
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new InputException(source, "byte " + b.position(), "truncated vocabulary");
    }
  }

}
