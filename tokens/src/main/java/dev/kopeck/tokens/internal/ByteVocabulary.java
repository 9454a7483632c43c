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
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A byte-level BPE vocabulary (GPT-2's design, as OpenAI's encodings, Llama 3, Qwen, DeepSeek and
 * gpt-oss use it): tokens are byte strings, the text is cut by a {@link PreTokenizer}, each piece's
 * UTF-8 bytes are merged by rank.
 *
 * <p>It comes from a HuggingFace {@code tokenizer.json} ({@link #fromTokenizerJson}) or a tiktoken
 * rank file ({@link #fromTiktoken}), and is kept in a compact binary form ({@link #write},
 * {@link #read}). From a tiktoken file, every split of a token into two tokens is a merge ranked
 * by the token, which is tiktoken's rule (merge the adjacent pair whose join ranks lowest).
 */
public final class ByteVocabulary {
  private static final int MAGIC = 0x4B42424C; // "KBBL"
  private static final int VERSION = 3;
  private static final int MAGIC_OVER = 0x4B424253; // "KBBS": added tokens over another vocabulary
  private static final int VERSION_OVER = 1;
  private static final int MAGIC_TABLES = 0x4B424254; // "KBBT": one .kbbl file's lookup tables, ready to use
  private static final int VERSION_TABLES = 1;

  /** What the text goes through before it is cut: nothing, or Unicode NFC (Qwen). */
  public enum Normalizer { NONE, NFC }

  final byte[] blob;
  final int[] start;
  /** A token's length in bytes; -1 for an id with no token. */
  final int[] len;
  /**
   * The merges as the file lists them, by rank; null in a vocabulary read with its tables ready to
   * use, whose merges are in {@link #merges} only (its file's columns are not copied out: 7 MB of
   * o200k_base's first use).
   */
  final int[] mergeLeft;
  final int[] mergeRight;
  final int[] mergeResult;
  final int[] mergeRank;
  /** How many merges the file lists. */
  private final int mergeCount;
  final String[] addedContents;
  final int[] addedIds;
  /**
   * Each added token's HuggingFace flags ({@link #LSTRIP}, {@link #RSTRIP}, {@link #SINGLE_WORD}),
   * in the order of {@link #addedIds}.
   */
  final int[] addedFlags;
  static final int LSTRIP = 1;
  static final int RSTRIP = 2;
  static final int SINGLE_WORD = 4;
  final PreTokenizer split;
  final Normalizer normalizer;
  /** A piece that is itself a token is that token, merges or not (tiktoken; HF's ignore_merges). */
  final boolean ignoreMerges;

  // derived at load, or read ready to use (readTables)
  final int[] byteId;
  final MergeTable merges;
  /**
   * The token table: open addressing by {@link #hash}, each slot -1 or a token id with, in the bits
   * above it, the top bits of its hash; a piece that is no token (most of base64's) is then told
   * without reading any token's length or bytes, each a trip to memory.
   */
  private final int[] table;
  private final int tableMask;
  private final int idBits;
  private final int idMask;

  ByteVocabulary(byte[] blob, int[] start, int[] len, int[] mergeLeft, int[] mergeRight, int[] mergeResult,
      int[] mergeRank, String[] addedContents, int[] addedIds, int[] addedFlags, PreTokenizer split,
      Normalizer normalizer, boolean ignoreMerges) {
    this(blob, start, len, mergeLeft, mergeRight, mergeResult, mergeRank, mergeLeft.length, addedContents, addedIds,
        addedFlags, split, normalizer, ignoreMerges, null);
  }

  /** The lookup tables a vocabulary builds at load: what a {@link #writeTables} file holds. */
  record Tables(int[] byteId, int[] table, MergeTable merges) {}

  private ByteVocabulary(byte[] blob, int[] start, int[] len, int[] mergeLeft, int[] mergeRight, int[] mergeResult,
      int[] mergeRank, int mergeCount, String[] addedContents, int[] addedIds, int[] addedFlags, PreTokenizer split,
      Normalizer normalizer, boolean ignoreMerges, Tables ready) {
    this.mergeCount = mergeCount;
    this.blob = blob;
    this.start = start;
    this.len = len;
    this.mergeLeft = mergeLeft;
    this.mergeRight = mergeRight;
    this.mergeResult = mergeResult;
    this.mergeRank = mergeRank;
    this.addedContents = addedContents;
    this.addedIds = addedIds;
    this.addedFlags = addedFlags;
    this.split = split;
    this.normalizer = normalizer;
    this.ignoreMerges = ignoreMerges;
    idBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, len.length - 1));
    idMask = (1 << idBits) - 1;
    if (ready != null) {
      byteId = ready.byteId;
      table = ready.table;
      tableMask = table.length - 1;
      merges = ready.merges;
      return;
    }
    byteId = new int[256];
    Arrays.fill(byteId, -1);
    boolean[] added = new boolean[len.length];
    for (int id : addedIds) {
      added[id] = true;
    }
    int cap = tableCapacity(len.length);
    table = new int[cap];
    Arrays.fill(table, -1);
    tableMask = cap - 1;
    for (int id = 0; id < len.length; id++) {
      if (len[id] < 0 || added[id]) {
        continue;
      }
      if (len[id] == 1 && byteId[blob[start[id]] & 0xFF] < 0) {
        byteId[blob[start[id]] & 0xFF] = id;
      }
      int h = hash(blob, start[id], len[id]);
      int i = h & tableMask;
      while (table[i] >= 0) {
        i = (i + 1) & tableMask;
      }
      table[i] = fingerprint(h) << idBits | id;
    }
    merges = new MergeTable(mergeLeft, mergeRight, mergeRank, mergeResult);
  }

  /** The token table's slots for {@code n} ids: a power of two, at most a quarter of it used. */
  private static int tableCapacity(int n) {
    return Integer.highestOneBit(Math.max(4, n) * 2) << 1;
  }

  static int hash(byte[] b, int from, int n) {
    int h = 0x811C9DC5;
    for (int i = from; i < from + n; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 15);
  }

  /** The token whose bytes are {@code b[0, n)} (by hash {@code h} of them), or -1. */
  int idOf(byte[] b, int n, int h) {
    int i = h & tableMask;
    int want = fingerprint(h);
    int e;
    while ((e = table[i]) >= 0) {
      int id = e & idMask;
      if (e >>> idBits == want && len[id] == n && Arrays.equals(blob, start[id], start[id] + n, b, 0, n)) {
        return id;
      }
      i = (i + 1) & tableMask;
    }
    return -1;
  }

  /** The top bits of {@code h} that fit above a token id in a non-negative int (none past 2^31 ids). */
  private int fingerprint(int h) {
    return idBits >= 31 ? 0 : h >>> (32 - (31 - idBits));
  }

  public int size() {
    return len.length;
  }

  /**
   * Whether this vocabulary's lookup tables were read ready to use (a {@link #writeTables} file), not
   * built: then, and only then, it keeps no merge list ({@link #mergeLeft}).
   */
  public boolean readyTables() {
    return mergeLeft == null;
  }

  /** "N tokens, M merges, K added tokens, pre-tokenizer P", for a build log. */
  public String summary() {
    return size() + " tokens, " + mergeCount + " merges, " + addedIds.length + " added tokens, pre-tokenizer "
        + split + (normalizer == Normalizer.NONE ? "" : ", " + normalizer) + (ignoreMerges ? ", whole-word lookup" : "");
  }

  static ByteVocabulary of(List<byte[]> tokens, int[] ml, int[] mr, int[] mres, int[] rank, String[] addedContents,
      int[] addedIds, int[] addedFlags, PreTokenizer split, Normalizer normalizer, boolean ignoreMerges) {
    int total = 0;
    for (byte[] t : tokens) {
      total += t == null ? 0 : t.length;
    }
    byte[] blob = new byte[total];
    int[] start = new int[tokens.size()];
    int[] len = new int[tokens.size()];
    int at = 0;
    for (int i = 0; i < tokens.size(); i++) {
      byte[] t = tokens.get(i);
      start[i] = at;
      if (t == null) {
        len[i] = -1;
        continue;
      }
      System.arraycopy(t, 0, blob, at, t.length);
      len[i] = t.length;
      at += t.length;
    }
    return new ByteVocabulary(blob, start, len, ml, mr, mres, rank, addedContents, addedIds, addedFlags, split, normalizer,
        ignoreMerges);
  }

  // ---- tiktoken ----

  /**
   * A tiktoken encoding as the {@code tiktoken} npm package ships it ({@code encoders/NAME.json}:
   * {@code pat_str}, {@code special_tokens}, and {@code bpe_ranks}, lines of
   * "{@code FIRST OFFSET base64 base64 ...}").
   */
  public static ByteVocabulary fromTiktoken(String source, InputStream in) throws IOException {
    String pat = null;
    Map<String, Integer> specials = new LinkedHashMap<>();
    String ranks = null;
    try (JsonParser p = new JsonFactory().createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InputException(source, "$", "expected an object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "pat_str":
            pat = p.getText();
            break;
          case "bpe_ranks":
            ranks = p.getText();
            break;
          case "special_tokens":
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String name = p.currentName();
              p.nextToken();
              specials.put(name, p.getIntValue());
            }
            break;
          default:
            p.skipChildren();
        }
      }
    }
    if (pat == null || ranks == null) {
      throw new InputException(source, "$", "a tiktoken encoding needs pat_str and bpe_ranks");
    }
    PreTokenizer split = PreTokenizer.ofRegex(pat);
    if (split == null) {
      throw new InputException(source, "$.pat_str", "a pre-tokenizer Kopeck does not have: " + pat);
    }
    List<byte[]> tokens = new ArrayList<>();
    Base64.Decoder b64 = Base64.getDecoder();
    for (String line : ranks.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(" ");
      int offset = Integer.parseInt(f[1]);
      for (int k = 2; k < f.length; k++) {
        int id = offset + k - 2;
        while (tokens.size() <= id) {
          tokens.add(null);
        }
        tokens.set(id, b64.decode(f[k]));
      }
    }
    for (int id : specials.values()) {
      while (tokens.size() <= id) {
        tokens.add(null);
      }
    }
    // every split of a token into two tokens merges to it, ranked by the token's rank
    Map<ByteKey, Integer> ids = new HashMap<>(tokens.size() * 2);
    for (int id = 0; id < tokens.size(); id++) {
      if (tokens.get(id) != null) {
        ids.put(new ByteKey(tokens.get(id)), id);
      }
    }
    IntArrays m = new IntArrays();
    for (int id = 0; id < tokens.size(); id++) {
      byte[] t = tokens.get(id);
      if (t == null || t.length < 2) {
        continue;
      }
      for (int k = 1; k < t.length; k++) {
        Integer a = ids.get(new ByteKey(Arrays.copyOfRange(t, 0, k)));
        Integer b = a == null ? null : ids.get(new ByteKey(Arrays.copyOfRange(t, k, t.length)));
        if (b != null) {
          m.add(a, b, id, id);
        }
      }
    }
    String[] contents = specials.keySet().toArray(new String[0]);
    int[] addedIds = specials.values().stream().mapToInt(Integer::intValue).toArray();
    for (int i = 0; i < contents.length; i++) {
      tokens.set(addedIds[i], contents[i].getBytes(StandardCharsets.UTF_8));
    }
    return of(tokens, m.left(), m.right(), m.result(), m.rank(), contents, addedIds, new int[addedIds.length], split,
        Normalizer.NONE, true);
  }

  private static final class ByteKey {
    final byte[] b;
    final int h;

    ByteKey(byte[] b) {
      this.b = b;
      this.h = Arrays.hashCode(b);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey && Arrays.equals(b, ((ByteKey) o).b);
    }

    @Override
    public int hashCode() {
      return h;
    }
  }

  private static final class IntArrays {
    int[] a = new int[1 << 16];
    int n;

    void add(int l, int r, int res, int rank) {
      if (n + 4 > a.length) {
        a = Arrays.copyOf(a, a.length * 2);
      }
      a[n++] = l;
      a[n++] = r;
      a[n++] = res;
      a[n++] = rank;
    }

    int[] col(int k) {
      int[] c = new int[n / 4];
      for (int i = 0; i < c.length; i++) {
        c[i] = a[4 * i + k];
      }
      return c;
    }

    int[] left() {
      return col(0);
    }

    int[] right() {
      return col(1);
    }

    int[] result() {
      return col(2);
    }

    int[] rank() {
      return col(3);
    }
  }

  // ---- tokenizer.json ----

  /** GPT-2's table from bytes to the printable characters byte-level pieces are written in. */
  static int[] unicodeToByte() {
    int[] inv = new int[512];
    Arrays.fill(inv, -1);
    int n = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      int ch = printable ? b : 256 + n++;
      inv[ch] = b;
    }
    return inv;
  }

  /** The bytes a byte-level piece stands for, or null if a character is not one of the 256. */
  static byte[] pieceBytes(String piece, int[] inv) {
    byte[] out = new byte[piece.length()];
    for (int i = 0; i < piece.length(); i++) {
      char c = piece.charAt(i);
      if (c >= inv.length || inv[c] < 0) {
        return null;
      }
      out[i] = (byte) inv[c];
    }
    return out;
  }

  /**
   * A byte-level BPE {@code tokenizer.json} (HuggingFace). What Kopeck cannot count exactly is
   * refused, naming the feature and its JSON path: a pre-tokenizer other than the families'
   * ({@link PreTokenizer}), a normalizer other than NFC, {@code add_prefix_space}, added tokens
   * that strip or match single words, dropout, subword prefixes.
   */
  public static ByteVocabulary fromTokenizerJson(String source, InputStream in) throws IOException {
    Object root;
    try (JsonParser p = new JsonFactory().createParser(in)) {
      p.nextToken();
      root = JsonTree.read(p);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw JsonTree.malformed(source, e);
    }
    return fromTree(source, JsonTree.obj(source, "$", root));
  }

  @SuppressWarnings("unchecked")
  static ByteVocabulary fromTree(String source, Map<String, Object> root) {
    Map<String, Object> model = JsonTree.obj(source, "$.model", root.get("model"));
    if (!"BPE".equals(model.get("type"))) {
      throw new InputException(source, "$.model.type", "only BPE models are supported, found " + model.get("type"));
    }
    for (String f : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
      Object v = model.get(f);
      if (v != null && !"".equals(v)) {
        throw new InputException(source, "$.model." + f, "not supported: \"" + v + "\"");
      }
    }
    if (model.get("dropout") != null) {
      throw new InputException(source, "$.model.dropout", "BPE dropout is random; it cannot be counted exactly");
    }
    if (Boolean.TRUE.equals(model.get("byte_fallback"))) {
      throw new InputException(source, "$.model.byte_fallback", "byte fallback in a byte-level vocabulary is not "
          + "supported");
    }
    boolean ignoreMerges = Boolean.TRUE.equals(model.get("ignore_merges"));
    PreTokenizer split = preTokenizer(source, root.get("pre_tokenizer"));
    Normalizer norm = normalizer(source, root.get("normalizer"));
    int[] inv = unicodeToByte();
    Map<String, Object> vocab = JsonTree.obj(source, "$.model.vocab", model.get("vocab"));
    Map<String, Integer> ids = new HashMap<>(vocab.size() * 2);
    int size = 0;
    for (Map.Entry<String, Object> e : vocab.entrySet()) {
      if (!(e.getValue() instanceof Number)) {
        throw new InputException(source, "$.model.vocab[\"" + e.getKey() + "\"]", "expected a token id");
      }
      int id = ((Number) e.getValue()).intValue();
      if (id < 0) {
        throw new InputException(source, "$.model.vocab[\"" + e.getKey() + "\"]", "a negative token id: " + id);
      }
      ids.put(e.getKey(), id);
      size = Math.max(size, id + 1);
    }
    List<Object> addedList = root.get("added_tokens") == null ? List.of()
        : JsonTree.arr(source, "$.added_tokens", root.get("added_tokens"));
    String[] contents = new String[addedList.size()];
    int[] addedIds = new int[addedList.size()];
    int[] addedFlags = new int[addedList.size()];
    for (int i = 0; i < addedList.size(); i++) {
      String path = "$.added_tokens[" + i + "]";
      Map<String, Object> a = JsonTree.obj(source, path, addedList.get(i));
      if (!(a.get("id") instanceof Number) || !(a.get("content") instanceof String)
          || ((String) a.get("content")).isEmpty()) {
        throw new InputException(source, path, "an added token needs an id and a non-empty content");
      }
      int flags = (Boolean.TRUE.equals(a.get("lstrip")) ? LSTRIP : 0) | (Boolean.TRUE.equals(a.get("rstrip")) ? RSTRIP : 0)
          | (Boolean.TRUE.equals(a.get("single_word")) ? SINGLE_WORD : 0);
      if (flags != 0 && Boolean.TRUE.equals(a.get("normalized")) && norm != Normalizer.NONE) {
        throw new InputException(source, path, "an added token that strips or matches single words and is matched"
            + " after normalization is not supported");
      }
      addedFlags[i] = flags;
      String content = (String) a.get("content");
      if (Boolean.TRUE.equals(a.get("normalized")) && norm == Normalizer.NFC
          && !java.text.Normalizer.isNormalized(content, java.text.Normalizer.Form.NFC)) {
        throw new InputException(source, path + ".normalized", "a normalized added token that NFC changes");
      }
      contents[i] = content;
      addedIds[i] = ((Number) a.get("id")).intValue();
      size = Math.max(size, addedIds[i] + 1);
    }
    List<byte[]> tokens = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      tokens.add(null);
    }
    java.util.Set<String> addedSet = new java.util.HashSet<>(Arrays.asList(contents));
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      // an added token may also be in the vocabulary, written as itself
      byte[] b = addedSet.contains(e.getKey()) ? e.getKey().getBytes(StandardCharsets.UTF_8)
          : pieceBytes(e.getKey(), inv);
      if (b == null) {
        throw new InputException(source, "$.model.vocab[\"" + e.getKey() + "\"]",
            "not a byte-level token (a character outside GPT-2's byte table)");
      }
      tokens.set(e.getValue(), b);
    }
    for (int i = 0; i < contents.length; i++) {
      tokens.set(addedIds[i], contents[i].getBytes(StandardCharsets.UTF_8));
    }
    List<Object> merges = JsonTree.arr(source, "$.model.merges", model.get("merges"));
    IntArrays m = new IntArrays();
    for (int i = 0; i < merges.size(); i++) {
      Object o = merges.get(i);
      String a;
      String b;
      if (o instanceof String) {
        String s = (String) o;
        int sp = s.indexOf(' ');
        if (sp <= 0 || s.indexOf(' ', sp + 1) >= 0) {
          throw new InputException(source, "$.model.merges[" + i + "]", "expected \"a b\", found \"" + s + "\"");
        }
        a = s.substring(0, sp);
        b = s.substring(sp + 1);
      } else if (o instanceof List && ((List<Object>) o).size() == 2) {
        a = String.valueOf(((List<Object>) o).get(0));
        b = String.valueOf(((List<Object>) o).get(1));
      } else {
        throw new InputException(source, "$.model.merges[" + i + "]", "expected a pair");
      }
      Integer ia = ids.get(a);
      Integer ib = ids.get(b);
      Integer ir = ids.get(a + b);
      if (ia == null || ib == null || ir == null) {
        throw new InputException(source, "$.model.merges[" + i + "]", "a merge of tokens not in the vocabulary: "
            + a + " + " + b);
      }
      m.add(ia, ib, ir, i);
    }
    boolean[] single = new boolean[256];
    for (byte[] t : tokens) {
      if (t != null && t.length == 1) {
        single[t[0] & 0xFF] = true;
      }
    }
    for (int b = 0; b < 256; b++) {
      if (!single[b]) {
        throw new InputException(source, "$.model.vocab", "no token for the byte 0x" + Integer.toHexString(b)
            + ": a byte-level vocabulary needs all 256");
      }
    }
    return of(tokens, m.left(), m.right(), m.result(), m.rank(), contents, addedIds, addedFlags, split, norm,
        ignoreMerges);
  }

  private static Normalizer normalizer(String source, Object n) {
    if (n == null) {
      return Normalizer.NONE;
    }
    Map<String, Object> o = JsonTree.obj(source, "$.normalizer", n);
    if ("NFC".equals(o.get("type"))) {
      return Normalizer.NFC;
    }
    if ("Sequence".equals(o.get("type")) && o.get("normalizers") instanceof List
        && ((List<?>) o.get("normalizers")).isEmpty()) {
      return Normalizer.NONE;
    }
    throw new InputException(source, "$.normalizer", "only no normalizer or NFC is supported, found "
        + JsonTree.describe(n));
  }

  /**
   * The pre-tokenizer: {@code Sequence[Split(regex, Isolated), ByteLevel(use_regex=false)]} with a
   * family's regex (or DeepSeek's three splits), or {@code ByteLevel(use_regex=true)} (GPT-2's).
   */
  @SuppressWarnings("unchecked")
  private static PreTokenizer preTokenizer(String source, Object pre) {
    String path = "$.pre_tokenizer";
    if (pre == null) {
      throw new InputException(source, path, "a byte-level vocabulary without a pre-tokenizer is not supported");
    }
    Map<String, Object> o = JsonTree.obj(source, path, pre);
    List<Object> steps;
    if ("Sequence".equals(o.get("type"))) {
      steps = JsonTree.arr(source, path + ".pretokenizers", o.get("pretokenizers"));
    } else {
      steps = List.of(o);
    }
    List<String> regexes = new ArrayList<>();
    boolean byteLevel = false;
    for (int i = 0; i < steps.size(); i++) {
      String sp = "Sequence".equals(o.get("type")) ? path + ".pretokenizers[" + i + "]" : path;
      Map<String, Object> s = JsonTree.obj(source, sp, steps.get(i));
      String type = String.valueOf(s.get("type"));
      if (byteLevel) {
        throw new InputException(source, sp, "a pre-tokenizer after ByteLevel is not supported: " + type);
      }
      if (type.equals("ByteLevel")) {
        if (Boolean.TRUE.equals(s.get("add_prefix_space"))) {
          throw new InputException(source, sp + ".add_prefix_space", "add_prefix_space is not supported");
        }
        if (!Boolean.FALSE.equals(s.get("use_regex"))) {
          regexes.add(PreTokenizer.GPT2.regex);
        }
        byteLevel = true;
      } else if (type.equals("Split")) {
        Object pat = s.get("pattern");
        Object rx = pat instanceof Map ? ((Map<String, Object>) pat).get("Regex") : null;
        if (!(rx instanceof String)) {
          throw new InputException(source, sp + ".pattern", "only a Regex pattern is supported, found "
              + JsonTree.describe(pat));
        }
        String behavior = String.valueOf(s.get("behavior"));
        boolean invert = Boolean.TRUE.equals(s.get("invert"));
        if (!(behavior.equals("Isolated") && !invert) && !(behavior.equals("Removed") && invert)) {
          throw new InputException(source, sp + ".behavior", "only Isolated (or Removed, inverted) splits are "
              + "supported, found " + behavior + (invert ? " inverted" : ""));
        }
        regexes.add((String) rx);
      } else {
        throw new InputException(source, sp + ".type", "a pre-tokenizer Kopeck does not have: " + type);
      }
    }
    if (!byteLevel) {
      throw new InputException(source, path, "not a byte-level vocabulary: no ByteLevel pre-tokenizer");
    }
    if (regexes.size() == 1 && PreTokenizer.ofRegex(regexes.get(0)) != null) {
      return PreTokenizer.ofRegex(regexes.get(0));
    }
    if (regexes.equals(List.of(PreTokenizer.DEEPSEEK.regex, PreTokenizer.DEEPSEEK_CJK, PreTokenizer.DEEPSEEK_WORDS))) {
      return PreTokenizer.DEEPSEEK;
    }
    throw new InputException(source, path, "a split Kopeck does not have (it counts exactly only the GPT-2, "
        + "cl100k/Llama 3, Qwen, o200k and DeepSeek V3 expressions): " + String.join(" then ", regexes));
  }

  // ---- binary form ----

  public void write(OutputStream os) throws IOException {
    if (readyTables()) {
      throw new IllegalStateException("a vocabulary read with its tables keeps no merge list to write; read it without");
    }
    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    str(out, split.name());
    str(out, normalizer.name());
    out.writeBoolean(ignoreMerges);
    out.writeInt(len.length);
    for (int l : len) {
      out.writeInt(l);
    }
    out.writeInt(blob.length);
    out.write(blob);
    // column by column, so that each loads with one bulk read
    out.writeInt(mergeLeft.length);
    for (int[] column : new int[][] {mergeLeft, mergeRight, mergeResult, mergeRank}) {
      for (int x : column) {
        out.writeInt(x);
      }
    }
    writeAdded(out);
    out.flush();
  }

  public static ByteVocabulary read(String source, InputStream in) throws IOException {
    return read(source, in, null, null);
  }

  /**
   * Reads a {@link #write} file, with its lookup tables from {@code tables} (a {@link #writeTables} file of
   * the same file, named {@code tablesSource}) instead of building them; tables made for another file,
   * or by a Kopeck whose tables are laid out differently, are ignored and the tables are built, as
   * without them ({@code tables} null).
   *
   * @throws InputException if either file is damaged or truncated
   */
  public static ByteVocabulary read(String source, InputStream in, String tablesSource, InputStream tables)
      throws IOException {
    byte[] file = in.readAllBytes();
    if (tables == null) {
      return parts(source, file, 0, true).vocabulary();
    }
    Parts p = parts(source, file, 0, false);
    Tables ready = readTables(tablesSource, tables, file, p);
    return ready != null ? p.vocabulary(ready) : parts(source, file, 0, true).vocabulary();
  }

  /**
   * Writes the lookup tables that the vocabulary file {@code file} (a {@link #write} file, named {@code
   * source}) builds at load, ready to use: a second file, which {@link #read(String, InputStream, String,
   * InputStream)} reads instead of building them. It names the file it belongs to by length and CRC-32C,
   * and the layout of the tables by {@link #layout}, and ends with a CRC-32C of its own bytes before it.
   * Little-endian, so that a read is a copy.
   */
  public static void writeTables(String source, byte[] file, OutputStream os) throws IOException {
    parts(source, file, 0, true).vocabulary().writeTables(file, os);
  }

  /** Writes this vocabulary's tables as {@link #writeTables(String, byte[], OutputStream)} does, {@code file} its file. */
  void writeTables(byte[] file, OutputStream os) throws IOException {
    MergeTable m = merges;
    int[] resultOf = m.resultOf();
    java.util.zip.CheckedOutputStream out = new java.util.zip.CheckedOutputStream(os, new java.util.zip.CRC32C());
    ByteBuffer head = ByteBuffer.allocate(TABLES_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    head.putInt(MAGIC_TABLES).putInt(VERSION_TABLES).putInt(layout()).putInt(file.length).putInt(crc(file))
        .putInt(size()).putInt(table.length).putInt(m.slots().length)
        .putInt(resultOf == null ? -1 : resultOf.length).putInt(m.size());
    out.write(head.array());
    byte[] buf = new byte[1 << 16];
    Binary.write(out, buf, byteId);
    Binary.write(out, buf, table);
    Binary.write(out, buf, m.low());
    Binary.write(out, buf, m.slots());
    Binary.write(out, buf, m.filter());
    if (resultOf != null) {
      Binary.write(out, buf, resultOf);
    }
    os.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) out.getChecksum().getValue()).array());
    os.flush();
  }

  private static final int TABLES_HEADER = 40;

  /**
   * A number that changes when the tables' layout does: the hash of a fixed text, and the merge table's
   * multipliers and field width. Tables written under another layout are ignored.
   */
  static int layout() {
    byte[] probe = "kopeck tables".getBytes(StandardCharsets.US_ASCII);
    return hash(probe, 0, probe.length) * 31 + Long.hashCode(MergeTable.MIX) * 17 + Long.hashCode(MergeTable.MIX2) * 13
        + MergeTable.BITS * 7 + MergeTable.LOW;
  }

  private static int crc(byte[] file) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(file, 0, file.length);
    return (int) c.getValue();
  }

  /** The tables of a {@link #writeTables} file, or null where it belongs to another file or layout. */
  private static Tables readTables(String source, InputStream raw, byte[] file, Parts p) throws IOException {
    long[] at = {0};
    java.util.zip.CheckedInputStream in = new java.util.zip.CheckedInputStream(raw, new java.util.zip.CRC32C());
    try {
      ByteBuffer h = ByteBuffer.wrap(Binary.bytes(in, TABLES_HEADER, at)).order(ByteOrder.LITTLE_ENDIAN);
      if (h.getInt() != MAGIC_TABLES) {
        throw new InputException(source, "byte 0", "not a Kopeck vocabulary's tables");
      }
      if (h.getInt() != VERSION_TABLES || h.getInt() != layout() || h.getInt() != file.length
          || h.getInt() != crc(file) || h.getInt() != p.len.length) {
        return null; // another file's, or another layout's: built instead, as without them
      }
      int tableLength = h.getInt();
      int slots = h.getInt();
      int results = h.getInt();
      int size = h.getInt();
      if (tableLength != tableCapacity(p.len.length) || slots != MergeTable.capacity(p.m)
          || results < -1 || size < 0 || size > p.m) {
        return null;
      }
      byte[] buf = new byte[1 << 16];
      int[] byteId = Binary.ints(in, buf, new int[256], at);
      int[] table = Binary.ints(in, buf, new int[tableLength], at);
      long[] low = Binary.longs(in, buf, new long[MergeTable.LOW], at);
      long[] slot = Binary.longs(in, buf, new long[slots], at);
      long[] filter = Binary.longs(in, buf, new long[MergeTable.filterLength(slots)], at);
      int[] resultOf = results < 0 ? null : Binary.ints(in, buf, new int[results], at);
      int sum = (int) in.getChecksum().getValue();
      if (ByteBuffer.wrap(Binary.bytes(raw, 4, at)).order(ByteOrder.LITTLE_ENDIAN).getInt() != sum) {
        throw new InputException(source, "byte " + (at[0] - 4), "damaged tables: their CRC-32C does not match");
      }
      if (raw.read() != -1) {
        throw new InputException(source, "byte " + at[0], "more bytes than its tables");
      }
      return new Tables(byteId, table, new MergeTable(slot, low, filter, resultOf, size));
    } catch (java.io.EOFException e) {
      throw new InputException(source, "byte " + at[0], "truncated tables");
    }
  }

  /** A vocabulary's arrays as its file holds them, before the lookup tables are built from them. */
  private record Parts(byte[] blob, int[] start, int[] len, int[] ml, int[] mr, int[] mres, int[] rank, int m,
      String[] contents, int[] ids, int[] flags, PreTokenizer split, Normalizer norm, boolean ignore) {
    ByteVocabulary vocabulary() {
      return vocabulary(null);
    }

    ByteVocabulary vocabulary(Tables ready) {
      return new ByteVocabulary(blob, start, len, ml, mr, mres, rank, m, contents, ids, flags, split, norm, ignore,
          ready);
    }
  }

  /**
   * Parses a {@link #write} file; its blob gets {@code spare} bytes more at the end, zeros. Without
   * {@code columns} the merge list is skipped (its columns null): for tables read ready to use.
   */
  private static Parts parts(String source, byte[] all, int spare, boolean columns) {
    ByteBuffer b = ByteBuffer.wrap(all);
    try {
      if (b.getInt() != MAGIC || b.getInt() != VERSION) {
        throw new InputException(source, "byte 0", "not a Kopeck byte-level vocabulary (version " + VERSION + ")");
      }
      PreTokenizer split = PreTokenizer.valueOf(utf(b));
      Normalizer norm = Normalizer.valueOf(utf(b));
      boolean ignore = b.get() != 0;
      int n = b.getInt();
      int[] len = Binary.ints(b, n);
      int[] ends = Binary.starts(len);
      int[] start = java.util.Arrays.copyOf(ends, n);
      int used = b.getInt();
      if (used != ends[n]) {
        throw new InputException(source, "byte " + b.position(), "token lengths do not add up");
      }
      byte[] blob = new byte[used + spare];
      b.get(blob, 0, used);
      int m = b.getInt();
      int[] ml = null;
      int[] mr = null;
      int[] mres = null;
      int[] rank = null;
      if (columns) {
        ml = Binary.ints(b, m);
        mr = Binary.ints(b, m);
        mres = Binary.ints(b, m);
        rank = Binary.ints(b, m);
      } else if (m < 0 || m > b.remaining() / 16) {
        throw new java.nio.BufferUnderflowException();
      } else {
        b.position(b.position() + 16 * m);
      }
      int a = b.getInt();
      int[] ids = new int[a];
      int[] flags = new int[a];
      String[] contents = new String[a];
      for (int i = 0; i < a; i++) {
        ids[i] = b.getInt();
        flags[i] = b.get();
        contents[i] = utf(b);
      }
      return new Parts(blob, start, len, ml, mr, mres, rank, m, contents, ids, flags, split, norm, ignore);
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException
        | NegativeArraySizeException e) {
      throw new InputException(source, "byte " + b.position(), "truncated or damaged vocabulary");
    }
  }

  // ---- added tokens over another vocabulary ----

  /** Where a derived vocabulary ({@link #readOver}) finds the one it is written over. */
  public interface Bases {
    /** The file ({@code ID.kbbl}, as {@link #write} makes it) of the vocabulary {@code id}. */
    byte[] file(String id) throws IOException;
  }

  /**
   * This vocabulary as {@code base}'s tokens and merges with this one's added tokens instead of base's:
   * what a derived file holds. o200k_harmony is o200k_base's ranks with gpt-oss's special tokens.
   */
  ByteVocabulary withAddedOf(ByteVocabulary base) {
    if (base.readyTables()) {
      throw new IllegalStateException("a vocabulary read with its tables keeps no merge list to derive from");
    }
    Parts p = new Parts(base.blob, base.start, base.len, base.mergeLeft, base.mergeRight, base.mergeResult,
        base.mergeRank, base.mergeCount, base.addedContents, base.addedIds, base.addedFlags, base.split, base.normalizer,
        base.ignoreMerges);
    return over(p, base.blob.length, false, size(), addedContents, addedIds, addedFlags).vocabulary();
  }

  /** The added tokens' bytes, in all. */
  private static int utf8Length(String[] contents) {
    int n = 0;
    for (String c : contents) {
      n += c.getBytes(StandardCharsets.UTF_8).length;
    }
    return n;
  }

  /**
   * {@code base}'s arrays with these added tokens instead of its own, {@code size} ids in all; the
   * base's tokens are the first {@code used} bytes of its blob. With {@code own}, the base's arrays are
   * the caller's to change, and a blob with room for the added tokens is filled in place (one copy of
   * o200k_base's arrays in memory while o200k_harmony loads, not two).
   */
  private static Parts over(Parts base, int used, boolean own, int size, String[] contents, int[] ids, int[] flags) {
    int n = Math.max(size, base.len.length);
    int[] l = own && n == base.len.length ? base.len : Arrays.copyOf(base.len, n);
    Arrays.fill(l, base.len.length, n, -1);
    int[] s = own && n == base.start.length ? base.start : Arrays.copyOf(base.start, n);
    for (int id : base.ids) {
      l[id] = -1;
    }
    byte[][] bytes = new byte[ids.length][];
    int extra = 0;
    for (int i = 0; i < ids.length; i++) {
      bytes[i] = contents[i].getBytes(StandardCharsets.UTF_8);
      extra += bytes[i].length;
    }
    byte[] blob = own && base.blob.length == used + extra ? base.blob : Arrays.copyOf(base.blob, used + extra);
    int at = used;
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(bytes[i], 0, blob, at, bytes[i].length);
      s[ids[i]] = at;
      l[ids[i]] = bytes[i].length;
      at += bytes[i].length;
    }
    return new Parts(blob, s, l, base.ml, base.mr, base.mres, base.rank, base.m, contents, ids, flags, base.split,
        base.norm, base.ignore);
  }

  /**
   * Where this vocabulary and {@code base} with this one's added tokens ({@link #withAddedOf}) differ,
   * other than in their merges: the first token, or the pre-tokenizer, normaliser or whole-word lookup;
   * null where they do not. Their merges may be written differently (a tokenizer.json's list, a tiktoken
   * file's ranks); the golden ids show they count alike.
   */
  public String differenceFrom(ByteVocabulary base) {
    ByteVocabulary d = withAddedOf(base);
    if (split != d.split || normalizer != d.normalizer || ignoreMerges != d.ignoreMerges) {
      return "the pre-tokenizer, normalizer or whole-word lookup: " + summary() + " against " + d.summary();
    }
    if (d.size() != size()) {
      return "the size: " + size() + " tokens against " + d.size();
    }
    for (int id = 0; id < len.length; id++) {
      if (len[id] != d.len[id] || (len[id] > 0
          && !Arrays.equals(blob, start[id], start[id] + len[id], d.blob, d.start[id], d.start[id] + len[id]))) {
        return "token " + id;
      }
    }
    return null;
  }

  /**
   * Writes this vocabulary as its added tokens over the one named {@code baseId}, {@code base}; refused
   * (IllegalArgumentException) where the two differ in anything but their added tokens and merges
   * ({@link #differenceFrom}).
   */
  public void writeOver(String baseId, ByteVocabulary base, OutputStream os) throws IOException {
    String diff = differenceFrom(base);
    if (diff != null) {
      throw new IllegalArgumentException("not " + baseId + " with other added tokens: they differ in " + diff);
    }
    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(os, 1 << 16));
    out.writeInt(MAGIC_OVER);
    out.writeInt(VERSION_OVER);
    str(out, baseId);
    out.writeInt(size());
    writeAdded(out);
    out.flush();
  }

  /**
   * Reads a vocabulary written by {@link #writeOver}, its base's file from {@code bases}: the base's
   * tables are built once, with the added tokens already in place.
   */
  public static ByteVocabulary readOver(String source, InputStream in, Bases bases) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(in.readAllBytes());
    String baseId;
    int size;
    int[] ids;
    int[] flags;
    String[] contents;
    try {
      if (b.getInt() != MAGIC_OVER || b.getInt() != VERSION_OVER) {
        throw new InputException(source, "byte 0", "not a Kopeck vocabulary over another (version " + VERSION_OVER
            + ")");
      }
      baseId = utf(b);
      size = b.getInt();
      int a = b.getInt();
      ids = new int[a];
      flags = new int[a];
      contents = new String[a];
      for (int i = 0; i < a; i++) {
        ids[i] = b.getInt();
        if (ids[i] < 0 || ids[i] >= size) {
          throw new InputException(source, "byte " + (b.position() - 4), "an added token's id out of range: " + ids[i]);
        }
        flags[i] = b.get();
        contents[i] = utf(b);
      }
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException
        | NegativeArraySizeException e) {
      throw new InputException(source, "byte " + b.position(), "truncated or damaged vocabulary");
    }
    int extra = utf8Length(contents);
    Parts base = parts(baseId + ".kbbl", bases.file(baseId), extra, true);
    return over(base, base.blob.length - extra, true, size, contents, ids, flags).vocabulary();
  }

  /** The added tokens, as both file formats hold them: their count, then each one's id, flags and text. */
  private void writeAdded(DataOutputStream out) throws IOException {
    out.writeInt(addedIds.length);
    for (int i = 0; i < addedIds.length; i++) {
      out.writeInt(addedIds[i]);
      out.writeByte(addedFlags[i]);
      str(out, addedContents[i]);
    }
  }

  private static void str(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeShort(b.length);
    out.write(b);
  }

  private static String utf(ByteBuffer b) {
    int n = b.getShort() & 0xFFFF;
    String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
    b.position(b.position() + n);
    return s;
  }
}
