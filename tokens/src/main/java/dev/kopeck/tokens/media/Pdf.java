package dev.kopeck.tokens.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PDF page count from the document's structure, as a PDF reader finds its pages: the last
 * {@code startxref}, the cross-reference sections it leads to (tables and streams, the
 * {@code /Prev} chain of incremental updates, a hybrid file's {@code /XRefStm}), the trailer's
 * {@code /Root}, the catalog's {@code /Pages}, and the page tree walked to its leaves (a tree of
 * any depth; {@code /Count} is not trusted). Objects may sit in object streams; an encrypted file
 * with an empty user password has them decrypted ({@link PdfCrypt}), and one that needs a password
 * is refused saying so. Never a count from byte patterns: text that looks like a page tree in a
 * string, a comment, a content stream or an attached file counts for nothing.
 *
 * <p>A file whose cross-reference cannot be read (damaged, truncated) has it rebuilt from the
 * {@code n g obj} headers in the file, as qpdf and pdfinfo do; the answer then says its count is a
 * guess. Reads the whole file, at most {@link #MAX_BYTES}.
 */
final class Pdf {
  static final long MAX_BYTES = 256L << 20;
  /** Deeper page trees are refused as loops or attacks; real ones are a few levels deep. */
  private static final int MAX_DEPTH = 256;
  static final String GUESS = "the page count is a guess: the file's cross-reference is damaged and was rebuilt"
      + " from the objects found in it";

  private final Source s;
  private final byte[] b;
  /** Object number to where it is: an offset in the file ({@code type 1}) or a place in an object stream. */
  private final Map<Integer, long[]> xref = new HashMap<>();
  private final Map<Integer, List<Object>> objectStreams = new HashMap<>();
  private Map<String, Object> trailer;
  private PdfCrypt crypt;
  /** Why the file's encryption is refused (a password, an unknown handler): not a damage a rebuilt xref mends. */
  private MediaException refused;

  private Pdf(Source s, byte[] b) {
    this.s = s;
    this.b = b;
  }

  static MediaInfo pages(Source s) {
    s.format = "pdf";
    long size = s.fullSize();
    if (size > MAX_BYTES) {
      throw s.error(MAX_BYTES, "larger than " + (MAX_BYTES >> 20) + " MB");
    }
    Pdf p = new Pdf(s, s.bytes(0, (int) size));
    boolean guess = false;
    Object pages;
    try {
      p.readXref();
      pages = p.pagesRoot();
    } catch (MediaException damaged) {
      if (damaged == p.refused) {
        throw damaged; // encrypted in a way Kopeck does not read: rebuilding would not change that
      }
      p.rebuildXref(damaged);
      guess = true;
      pages = p.pagesRoot();
    }
    long n = p.walk(pages);
    if (n > MediaInfo.MAX_PAGES) {
      throw s.error(0, "absurd page count " + n);
    }
    return new MediaInfo(dev.kopeck.base.Modality.DOCUMENT, "pdf", 0, 0, null, n, false, guess ? GUESS : null);
  }

  // ---- cross-reference ----

  private void readXref() {
    int sx = lastIndexOf("startxref", b.length - 1, Math.max(0, b.length - 4096));
    if (sx < 0) {
      throw s.error(b.length, "no startxref at the end of the file");
    }
    Lexer lx = new Lexer(sx + 9);
    Object off = lx.next();
    if (!(off instanceof Long o) || o < 0 || o >= b.length) {
      throw s.error(sx, "startxref does not give an offset in the file");
    }
    Set<Long> seen = new HashSet<>();
    long at = o;
    while (at >= 0) {
      if (!seen.add(at) || seen.size() > 10_000) {
        throw s.error(at, "the /Prev chain of cross-reference sections loops");
      }
      Map<String, Object> t = section(at);
      if (trailer == null) {
        trailer = t;
      }
      Object prev = t.get("Prev");
      at = prev instanceof Long p && p >= 0 && p < b.length ? p : -1;
    }
    if (!(trailer.get("Root") instanceof Ref)) {
      throw s.error(o, "the trailer has no /Root");
    }
    encryption();
  }

  /** Reads the section at {@code at} (a table or a stream); entries already known (from newer sections) win. */
  private Map<String, Object> section(long at) {
    Lexer lx = new Lexer((int) at);
    lx.skipSpace();
    Map<Integer, long[]> entries = new HashMap<>();
    Map<String, Object> t;
    if (lx.startsWith("xref")) {
      lx.pos += 4;
      while (true) {
        lx.skipSpace();
        if (lx.startsWith("trailer")) {
          lx.pos += 7;
          break;
        }
        Object first = lx.next();
        Object count = lx.next();
        if (!(first instanceof Long f) || !(count instanceof Long c) || f < 0 || c < 0 || c > b.length / 18) {
          throw s.error(lx.pos, "a cross-reference table that is not one");
        }
        for (long i = 0; i < c; i++) {
          Object off = lx.next();
          Object gen = lx.next();
          Object kind = lx.next();
          if (!(off instanceof Long o) || !(gen instanceof Long) || !(kind instanceof Op k)) {
            throw s.error(lx.pos, "a cross-reference entry that is not one");
          }
          entries.putIfAbsent((int) (f + i), k.word.equals("n") ? new long[] {1, o} : new long[] {0, 0});
        }
      }
      t = dict(lx.next(), lx.pos, "trailer");
      if (t.get("XRefStm") instanceof Long x && x >= 0 && x < b.length) {
        // a hybrid file: the objects in object streams, free in the table, are listed in this stream
        Map<Integer, long[]> stream = new HashMap<>();
        xrefStream(x, stream);
        stream.forEach((num, e) -> {
          long[] mine = entries.get(num);
          if (mine == null || mine[0] == 0) {
            entries.put(num, e);
          }
        });
      }
    } else {
      t = xrefStream(at, entries);
    }
    entries.forEach(xref::putIfAbsent);
    return t;
  }

  /** A cross-reference stream: an object whose stream lists entries of /W widths over the /Index ranges. */
  private Map<String, Object> xrefStream(long at, Map<Integer, long[]> into) {
    Lexer lx = new Lexer((int) at);
    Object[] obj = lx.indirect();
    if (!(obj[2] instanceof Stream st) || !"XRef".equals(name(st.dict.get("Type")))) {
      throw s.error(at, "startxref points at neither a cross-reference table nor a stream");
    }
    byte[] data = decode(st, null);
    List<Object> w = list(st.dict.get("W"), at, "/W");
    if (w.size() != 3) {
      throw s.error(at, "/W of a cross-reference stream must have three widths");
    }
    int[] wi = new int[3];
    for (int i = 0; i < 3; i++) {
      wi[i] = (int) num(w.get(i), at, "/W");
      if (wi[i] < 0 || wi[i] > 8) {
        throw s.error(at, "/W width out of range: " + wi[i]);
      }
    }
    int row = wi[0] + wi[1] + wi[2];
    long size = num(st.dict.get("Size"), at, "/Size");
    List<Object> index = st.dict.get("Index") == null ? List.of(0L, size) : list(st.dict.get("Index"), at, "/Index");
    int p = 0;
    for (int k = 0; k + 1 < index.size(); k += 2) {
      long first = num(index.get(k), at, "/Index");
      long count = num(index.get(k + 1), at, "/Index");
      for (long i = 0; i < count; i++) {
        if (row == 0 || p + row > data.length) {
          throw s.error(at, "the cross-reference stream is shorter than its /Index says");
        }
        long type = wi[0] == 0 ? 1 : field(data, p, wi[0]);
        long f2 = field(data, p + wi[0], wi[1]);
        long f3 = field(data, p + wi[0] + wi[1], wi[2]);
        p += row;
        int num = (int) (first + i);
        into.putIfAbsent(num, type == 1 ? new long[] {1, f2} : type == 2 ? new long[] {2, f2, f3} : new long[] {0, 0});
      }
    }
    return st.dict;
  }

  private static long field(byte[] d, int at, int width) {
    long v = 0;
    for (int i = 0; i < width; i++) {
      v = v << 8 | (d[at + i] & 0xff);
    }
    return v;
  }

  /** The cross-reference rebuilt from every {@code n g obj} in the file, later ones winning, as readers repair. */
  private void rebuildXref(MediaException why) {
    xref.clear();
    objectStreams.clear();
    trailer = null;
    for (int i = 0; i + 3 < b.length; i++) {
      if (b[i] == 'o' && b[i + 1] == 'b' && b[i + 2] == 'j' && !regular(b[i + 3])) {
        int[] hdr = objectHeaderBefore(i);
        if (hdr != null) {
          xref.put(hdr[0], new long[] {1, hdr[2]});
        }
      }
    }
    for (int t = lastIndexOf("trailer", b.length - 1, 0); t >= 0; t = lastIndexOf("trailer", t - 1, 0)) {
      try {
        Lexer lx = new Lexer(t + 7);
        Map<String, Object> d = dict(lx.next(), t, "trailer");
        if (d.get("Root") instanceof Ref) {
          trailer = d;
          break;
        }
      } catch (MediaException notOne) {
        // an older or broken trailer
      }
    }
    // object streams and cross-reference streams found by the scan add their objects
    for (int num : new ArrayList<>(xref.keySet())) {
      try {
        Object o = object(num);
        if (o instanceof Stream st && "ObjStm".equals(name(st.dict.get("Type")))) {
          List<Object> objs = objectStream(num);
          for (int k = 0; k < objs.size(); k += 2) {
            xref.putIfAbsent(((Long) objs.get(k)).intValue(), new long[] {2, num, k / 2});
          }
        } else if (trailer == null && o instanceof Stream st && "XRef".equals(name(st.dict.get("Type")))
            && st.dict.get("Root") instanceof Ref) {
          trailer = st.dict;
        }
      } catch (MediaException | ClassCastException unreadable) {
        // left out
      }
    }
    if (trailer == null) {
      for (int num : xref.keySet()) {
        try {
          if (object(num) instanceof Map<?, ?> d && "Catalog".equals(name(d.get("Type")))) {
            trailer = Map.of("Root", new Ref(num, 0));
            break;
          }
        } catch (MediaException unreadable) {
          // left out
        }
      }
    }
    if (trailer == null) {
      throw s.error(why.offset(), "no document catalog: " + why.getMessage().replaceFirst("^.*?pdf: ", ""));
    }
    encryption();
  }

  /** {@code n g obj} ending at {@code objAt} ("obj" starts there): {number, generation, offset}, or null. */
  private int[] objectHeaderBefore(int objAt) {
    int i = objAt - 1;
    if (i < 0 || !white(b[i])) {
      return null;
    }
    while (i >= 0 && white(b[i])) {
      i--;
    }
    int genEnd = i + 1;
    while (i >= 0 && b[i] >= '0' && b[i] <= '9') {
      i--;
    }
    if (i + 1 == genEnd || i < 0 || !white(b[i])) {
      return null;
    }
    int gen = Integer.parseInt(new String(b, i + 1, genEnd - i - 1, StandardCharsets.ISO_8859_1));
    while (i >= 0 && white(b[i])) {
      i--;
    }
    int numEnd = i + 1;
    while (i >= 0 && b[i] >= '0' && b[i] <= '9') {
      i--;
    }
    if (i + 1 == numEnd || numEnd - i - 1 > 9 || i >= 0 && !white(b[i])) {
      return null;
    }
    int num = Integer.parseInt(new String(b, i + 1, numEnd - i - 1, StandardCharsets.ISO_8859_1));
    return new int[] {num, gen, i + 1};
  }

  private void encryption() {
    Object e = resolve(trailer.get("Encrypt"));
    if (e == null) {
      return;
    }
    if (!(e instanceof Map<?, ?>)) {
      throw s.error(0, "the /Encrypt entry is not a dictionary");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> enc = (Map<String, Object>) e;
    List<Object> id = trailer.get("ID") instanceof List<?> l ? castList(l) : List.of();
    byte[] id0 = !id.isEmpty() && id.get(0) instanceof byte[] x ? x : new byte[0];
    try {
      crypt = PdfCrypt.open(s, enc, id0);
    } catch (MediaException x) {
      refused = x;
      throw x;
    }
  }

  // ---- objects ----

  /** The catalog's /Pages, resolved. */
  private Object pagesRoot() {
    Object root = resolve(trailer.get("Root"));
    if (!(root instanceof Map<?, ?> cat)) {
      throw s.error(0, "the document catalog (/Root) is not a dictionary");
    }
    Object pages = cat.get("Pages");
    if (pages == null) {
      throw s.error(0, "the document catalog has no /Pages");
    }
    return pages;
  }

  /** The leaves of the page tree at {@code root}: each node visited once, kids in any depth. */
  private long walk(Object root) {
    long n = 0;
    Set<Ref> seen = new HashSet<>();
    ArrayDeque<Object[]> todo = new ArrayDeque<>();
    todo.push(new Object[] {root, 0});
    while (!todo.isEmpty()) {
      Object[] t = todo.pop();
      Object ref = t[0];
      int depth = (int) t[1];
      if (depth > MAX_DEPTH) {
        throw s.error(0, "the page tree is deeper than " + MAX_DEPTH + " levels");
      }
      if (ref instanceof Ref r && !seen.add(r)) {
        continue; // a node listed twice, or a loop: counted once
      }
      Object node = resolve(ref);
      if (!(node instanceof Map<?, ?> d)) {
        continue; // a null or broken kid is no page, as readers skip it
      }
      Object kids = resolve(d.get("Kids"));
      String type = name(d.get("Type"));
      if ("Pages".equals(type) || type == null && kids instanceof List<?>) {
        if (kids instanceof List<?> l) {
          for (Object k : l) {
            todo.push(new Object[] {k, depth + 1});
          }
        }
      } else {
        n++;
      }
    }
    return n;
  }

  private Object resolve(Object o) {
    for (int i = 0; o instanceof Ref r && i < 32; i++) {
      o = object(r.num);
    }
    return o instanceof Ref ? null : o;
  }

  private final Map<Integer, Object> cache = new HashMap<>();

  /** Object {@code num}: a dictionary, array, number, name, string, stream; null when free or missing. */
  private Object object(int num) {
    if (cache.containsKey(num)) {
      return cache.get(num);
    }
    cache.put(num, null); // a reference to itself while it is read is null
    long[] e = xref.get(num);
    Object o = null;
    if (e != null && e[0] == 1) {
      if (e[1] < 0 || e[1] >= b.length) {
        throw s.error(e[1], "object " + num + " is listed past the end of the file");
      }
      Object[] obj = new Lexer((int) e[1]).indirect();
      o = obj[2];
    } else if (e != null && e[0] == 2) {
      List<Object> objs = objectStream((int) e[1]);
      int k = (int) e[2];
      if (2 * k + 1 < objs.size()) {
        o = objs.get(2 * k + 1);
      }
    }
    cache.put(num, o);
    return o;
  }

  /** The objects of object stream {@code num}: number, object, number, object... */
  private List<Object> objectStream(int num) {
    List<Object> known = objectStreams.get(num);
    if (known != null) {
      return known;
    }
    objectStreams.put(num, List.of()); // a stream that lists itself holds nothing
    long[] e = xref.get(num);
    if (e == null || e[0] != 1) {
      throw s.error(0, "object stream " + num + " is not in the file");
    }
    Object[] obj = new Lexer((int) e[1]).indirect();
    if (!(obj[2] instanceof Stream st)) {
      throw s.error(e[1], "object " + num + " is listed as an object stream but is not a stream");
    }
    byte[] data = decode(st, new Ref(num, (int) (long) (Long) obj[1]));
    long n = num(st.dict.get("N"), e[1], "/N");
    long first = num(st.dict.get("First"), e[1], "/First");
    if (n < 0 || n > data.length || first < 0 || first > data.length) {
      throw s.error(e[1], "object stream " + num + " has /N or /First out of range");
    }
    Pdf inner = new Pdf(s, data);
    Lexer head = inner.new Lexer(0);
    List<Object> out = new ArrayList<>();
    for (long i = 0; i < n; i++) {
      Object on = head.next();
      Object off = head.next();
      if (!(on instanceof Long objNum) || !(off instanceof Long o) || first + o >= data.length) {
        break;
      }
      out.add(objNum);
      out.add(inner.new Lexer((int) (first + o)).next());
    }
    objectStreams.put(num, out);
    return out;
  }

  /** A stream's data, decrypted when the file is encrypted and {@code ref} is its object, and decoded. */
  private byte[] decode(Stream st, Ref ref) {
    int len = -1;
    Object l = st.dict.get("Length");
    if (l instanceof Ref) {
      l = resolve(l);
    }
    if (l instanceof Long x && x >= 0 && st.start + x <= b.length && endstreamAt(st.start + x)) {
      len = (int) (long) x;
    }
    if (len < 0) { // a wrong /Length, as damaged files have: up to endstream
      int end = indexOf("endstream", st.start, b.length);
      if (end < 0) {
        throw s.error(st.start, "a stream without endstream");
      }
      len = end - st.start;
      while (len > 0 && (b[st.start + len - 1] == '\n' || b[st.start + len - 1] == '\r')) {
        len--;
      }
    }
    byte[] raw = java.util.Arrays.copyOfRange(b, st.start, st.start + len);
    if (crypt != null && ref != null) {
      raw = crypt.decryptStream(raw, ref.num, ref.gen, st.start);
    }
    Object f = st.dict.get("Filter");
    Object parms = st.dict.get("DecodeParms");
    List<Object> filters = f instanceof List<?> fl ? castList(fl) : f == null ? List.of() : List.of(f);
    for (int i = 0; i < filters.size(); i++) {
      String name = name(filters.get(i));
      Object p = parms instanceof List<?> pl ? (i < pl.size() ? pl.get(i) : null) : parms;
      if ("FlateDecode".equals(name) || "Fl".equals(name)) {
        raw = predict(inflate(raw, st.start), p instanceof Map<?, ?> m ? m : Map.of(), st.start);
      } else {
        throw s.error(st.start, "a cross-reference or object stream with the " + name + " filter, which Kopeck"
            + " does not decode");
      }
    }
    return raw;
  }

  private boolean endstreamAt(long at) {
    int i = (int) at;
    while (i < b.length && white(b[i])) {
      i++;
    }
    return startsWith(i, "endstream");
  }

  private byte[] inflate(byte[] data, long at) {
    Inflater inf = new Inflater();
    inf.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_BYTES) {
          throw s.error(at, "a stream inflates past " + (MAX_BYTES >> 20) + " MB");
        }
      }
    } catch (DataFormatException e) {
      throw s.error(at, "a stream is not valid Flate data: " + e.getMessage());
    } finally {
      inf.end();
    }
    return out.toByteArray();
  }

  /** PNG predictors (10 to 15: each row carries its filter type) undone; TIFF predictor 2 refused. */
  private byte[] predict(byte[] d, Map<?, ?> p, long at) {
    long predictor = p.get("Predictor") instanceof Long x ? x : 1;
    if (predictor <= 1) {
      return d;
    }
    if (predictor < 10) {
      throw s.error(at, "TIFF predictor " + predictor + " in a cross-reference or object stream");
    }
    int columns = p.get("Columns") instanceof Long c ? (int) (long) c : 1;
    int colors = p.get("Colors") instanceof Long c ? (int) (long) c : 1;
    int bpc = p.get("BitsPerComponent") instanceof Long c ? (int) (long) c : 8;
    int bpp = Math.max(1, colors * bpc / 8);
    int rowLen = (columns * colors * bpc + 7) / 8;
    if (rowLen <= 0 || rowLen > MAX_BYTES) {
      throw s.error(at, "predictor /Columns out of range");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(d.length);
    byte[] prev = new byte[rowLen];
    byte[] cur = new byte[rowLen];
    for (int i = 0; i < d.length; i += rowLen + 1) {
      int type = d[i] & 0xff;
      int n = Math.min(rowLen, d.length - i - 1);
      for (int k = 0; k < n; k++) {
        int x = d[i + 1 + k] & 0xff;
        int a = k >= bpp ? cur[k - bpp] & 0xff : 0;
        int up = prev[k] & 0xff;
        int c = k >= bpp ? prev[k - bpp] & 0xff : 0;
        int v = switch (type) {
          case 0 -> x;
          case 1 -> x + a;
          case 2 -> x + up;
          case 3 -> x + ((a + up) >> 1);
          case 4 -> x + paeth(a, up, c);
          default -> throw s.error(at, "PNG predictor row type " + type);
        };
        cur[k] = (byte) v;
      }
      out.write(cur, 0, n);
      byte[] t = prev;
      prev = cur;
      cur = t;
    }
    return out.toByteArray();
  }

  private static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  // ---- the lexer ----

  record Ref(int num, int gen) {}

  /** A keyword: {@code obj}, {@code R}, {@code n}, {@code true}... */
  record Op(String word) {}

  record Stream(Map<String, Object> dict, int start) {}

  private static final Object NULL = new Op("null");

  final class Lexer {
    int pos;

    Lexer(int pos) {
      this.pos = pos;
    }

    boolean startsWith(String w) {
      return Pdf.this.startsWith(pos, w);
    }

    void skipSpace() {
      while (pos < b.length) {
        byte c = b[pos];
        if (white(c)) {
          pos++;
        } else if (c == '%') {
          while (pos < b.length && b[pos] != '\n' && b[pos] != '\r') {
            pos++;
          }
        } else {
          return;
        }
      }
    }

    /** {@code n g obj <object> [stream] endobj} at the lexer: {number, generation, object}. */
    Object[] indirect() {
      int at = pos;
      Object num = next();
      Object gen = next();
      Object kw = next();
      if (!(num instanceof Long) || !(gen instanceof Long) || !(kw instanceof Op o) || !o.word.equals("obj")) {
        throw s.error(at, "no object where the cross-reference says one starts");
      }
      Object o2 = next();
      skipSpace();
      if (o2 instanceof Map<?, ?> && startsWith("stream")) {
        pos += 6;
        if (pos < b.length && b[pos] == '\r') {
          pos++;
        }
        if (pos < b.length && b[pos] == '\n') {
          pos++;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) o2;
        return new Object[] {num, gen, new Stream(d, pos)};
      }
      return new Object[] {num, gen, o2 == NULL ? null : o2};
    }

    /** The next object: a number, name, string, array, dictionary, reference or keyword. */
    Object next() {
      return next(0);
    }

    private Object next(int depth) {
      if (depth > 512) {
        throw s.error(pos, "objects nested deeper than 512");
      }
      skipSpace();
      if (pos >= b.length) {
        throw s.truncated(pos);
      }
      byte c = b[pos];
      switch (c) {
        case '/':
          return new Name(readName());
        case '(':
          return literal();
        case '[': {
          pos++;
          List<Object> l = new ArrayList<>();
          while (true) {
            skipSpace();
            if (pos >= b.length) {
              throw s.truncated(pos);
            }
            if (b[pos] == ']') {
              pos++;
              return l;
            }
            Object o = next(depth + 1);
            l.add(o == NULL ? null : o);
            refs(l);
          }
        }
        case '<':
          if (pos + 1 < b.length && b[pos + 1] == '<') {
            pos += 2;
            Map<String, Object> d = new LinkedHashMap<>();
            while (true) {
              skipSpace();
              if (pos + 1 < b.length && b[pos] == '>' && b[pos + 1] == '>') {
                pos += 2;
                return d;
              }
              Object k = next(depth + 1);
              if (!(k instanceof Name key)) {
                throw s.error(pos, "a dictionary key that is not a name");
              }
              Object v = next(depth + 1);
              if (v instanceof Long n1) {
                int save = pos;
                Object g = peekRef(n1);
                if (g != null) {
                  v = g;
                } else {
                  pos = save;
                }
              }
              d.put(key.value, v == NULL ? null : v);
            }
          }
          return hex();
        case ')', '>', ']', '{', '}':
          throw s.error(pos, "unexpected '" + (char) c + "'");
        default: {
          int start = pos;
          while (pos < b.length && !white(b[pos]) && !delim(b[pos])) {
            pos++;
          }
          String w = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
          if (w.isEmpty()) {
            throw s.error(pos, "unexpected byte " + (b[pos] & 0xff));
          }
          char f = w.charAt(0);
          if (f >= '0' && f <= '9' || f == '-' || f == '+' || f == '.') {
            try {
              if (w.indexOf('.') < 0) {
                return w.length() > 18 ? Long.MAX_VALUE : Long.parseLong(w);
              }
              return Double.parseDouble(w);
            } catch (NumberFormatException e) {
              throw s.error(start, "a number that is not one: " + w);
            }
          }
          return w.equals("null") ? NULL : new Op(w);
        }
      }
    }

    /** After a number in an array, {@code n g R} makes the last three one reference. */
    private void refs(List<Object> l) {
      int n = l.size();
      if (n >= 3 && l.get(n - 1) instanceof Op o && o.word.equals("R") && l.get(n - 2) instanceof Long g
          && l.get(n - 3) instanceof Long num) {
        l.subList(n - 3, n).clear();
        l.add(new Ref((int) (long) num, (int) (long) g));
      }
    }

    /** {@code g R} after the number {@code num}: a reference, or null with the lexer moved. */
    private Object peekRef(long num) {
      skipSpace();
      int save = pos;
      if (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
        Object g = next();
        skipSpace();
        if (g instanceof Long gen && pos < b.length && b[pos] == 'R' && (pos + 1 >= b.length || white(b[pos + 1])
            || delim(b[pos + 1]))) {
          pos++;
          return new Ref((int) num, (int) (long) gen);
        }
      }
      pos = save;
      return null;
    }

    private String readName() {
      pos++;
      StringBuilder n = new StringBuilder();
      while (pos < b.length && !white(b[pos]) && !delim(b[pos])) {
        if (b[pos] == '#' && pos + 2 < b.length) {
          int v = Character.digit(b[pos + 1], 16) * 16 + Character.digit(b[pos + 2], 16);
          if (v >= 0) {
            n.append((char) v);
            pos += 3;
            continue;
          }
        }
        n.append((char) (b[pos++] & 0xff));
      }
      return n.toString();
    }

    private byte[] literal() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int depth = 0;
      pos++;
      while (pos < b.length) {
        byte c = b[pos++];
        if (c == '\\' && pos < b.length) {
          byte e = b[pos++];
          switch (e) {
            case 'n' -> out.write('\n');
            case 'r' -> out.write('\r');
            case 't' -> out.write('\t');
            case 'b' -> out.write('\b');
            case 'f' -> out.write('\f');
            case '\r' -> {
              if (pos < b.length && b[pos] == '\n') {
                pos++;
              }
            }
            case '\n' -> { }
            default -> {
              if (e >= '0' && e <= '7') {
                int v = e - '0';
                for (int k = 0; k < 2 && pos < b.length && b[pos] >= '0' && b[pos] <= '7'; k++) {
                  v = v * 8 + (b[pos++] - '0');
                }
                out.write(v);
              } else {
                out.write(e);
              }
            }
          }
        } else if (c == '(') {
          depth++;
          out.write(c);
        } else if (c == ')') {
          if (depth-- == 0) {
            return out.toByteArray();
          }
          out.write(c);
        } else {
          out.write(c);
        }
      }
      throw s.truncated(pos);
    }

    private byte[] hex() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      pos++;
      int hi = -1;
      while (pos < b.length && b[pos] != '>') {
        int d = Character.digit(b[pos++], 16);
        if (d < 0) {
          continue; // white space
        }
        if (hi < 0) {
          hi = d;
        } else {
          out.write(hi * 16 + d);
          hi = -1;
        }
      }
      if (pos >= b.length) {
        throw s.truncated(pos);
      }
      pos++;
      if (hi >= 0) {
        out.write(hi * 16);
      }
      return out.toByteArray();
    }
  }

  record Name(String value) {}

  // ---- helpers ----

  private static String name(Object o) {
    return o instanceof Name n ? n.value : null;
  }

  private long num(Object o, long at, String what) {
    if (o instanceof Ref) {
      o = resolve(o);
    }
    if (!(o instanceof Long l)) {
      throw s.error(at, what + " is not a whole number");
    }
    return l;
  }

  private List<Object> list(Object o, long at, String what) {
    if (o instanceof Ref) {
      o = resolve(o);
    }
    if (!(o instanceof List<?> l)) {
      throw s.error(at, what + " is not an array");
    }
    return castList(l);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> castList(List<?> l) {
    return (List<Object>) l;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> dict(Object o, long at, String what) {
    if (!(o instanceof Map<?, ?>)) {
      throw s.error(at, "the " + what + " is not a dictionary");
    }
    return (Map<String, Object>) o;
  }

  private static boolean white(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0;
  }

  private static boolean delim(byte c) {
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/'
        || c == '%';
  }

  private static boolean regular(byte c) {
    return !white(c) && !delim(c);
  }

  private boolean startsWith(int at, String w) {
    if (at < 0 || at + w.length() > b.length) {
      return false;
    }
    for (int i = 0; i < w.length(); i++) {
      if (b[at + i] != w.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int lastIndexOf(String w, int from, int downTo) {
    for (int i = Math.min(from, b.length - w.length()); i >= downTo; i--) {
      if (startsWith(i, w)) {
        return i;
      }
    }
    return -1;
  }

  private int indexOf(String w, int from, int to) {
    for (int i = from; i + w.length() <= to; i++) {
      if (startsWith(i, w)) {
        return i;
      }
    }
    return -1;
  }
}
