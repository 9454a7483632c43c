package dev.kopeck.tokens.internal;

import dev.kopeck.base.internal.Names;
import dev.kopeck.tokens.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The bundled counters, each created once and loaded lazily on first use. */
public final class Counters {
  static final String VOCAB_DIR = "META-INF/kopeck/vocab/";
  private static final ConcurrentHashMap<String, TokenCounter> CACHE = new ConcurrentHashMap<>();

  private Counters() {}

  /** The bundled counter with this id, created once and loaded on first use; null if there is none. */
  public static TokenCounter byId(String id) {
    Names.Tokenizer t = Names.Tokenizer.of(id);
    return t == null ? null : CACHE.computeIfAbsent(t.id, k -> new Lazy(k, () -> t.id.startsWith("gemma")
        ? bundledBpe(k) : new ByteBpeTokenizer(k, bundledByteVocabulary(k), unicode())));
  }

  public static TokenCounter bpe(String id, BpeVocabulary v) {
    return new BpeTokenizer(id, v);
  }

  /**
   * Whether a tokenizer.json is byte-level (its pre-tokenizer or decoder is {@code ByteLevel}), read
   * without its vocabulary: the parser skips {@code model}.
   */
  public static boolean isByteLevelJson(String source, byte[] json) throws IOException {
    try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        if (f.equals("pre_tokenizer") || f.equals("decoder")) {
          if (String.valueOf(JsonTree.read(p)).contains("type=ByteLevel")) {
            return true;
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw JsonTree.malformed(source, e);
    }
    return false;
  }

  public static TokenCounter byteBpe(String id, ByteVocabulary v) {
    return new ByteBpeTokenizer(id, v, unicode());
  }

  /**
   * The pre-tokenizers' character classes: the current Unicode table from kopeck-vocab-unicode, or Java's
   * own (Unicode 13 on Java 17) when that jar is not on the class path. Read once, on first use.
   */
  public static UnicodeClasses unicode() {
    return UnicodeTable.CLASSES;
  }

  private static final class UnicodeTable {
    static final UnicodeClasses CLASSES = load();

    private static UnicodeClasses load() {
      String res = VOCAB_DIR + "unicode.kuc";
      try (InputStream in = resource(res)) {
        return in == null ? UnicodeClasses.jdk() : UnicodeClasses.read(res, in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + res, e);
      }
    }
  }

  private static InputStream resource(String res) {
    ClassLoader cl = Counters.class.getClassLoader();
    return cl == null ? ClassLoader.getSystemResourceAsStream(res) : cl.getResourceAsStream(res);
  }

  /** A vocabulary format's reader. */
  private interface Reader<T> {
    T read(String source, InputStream in) throws IOException;
  }

  /**
   * Reads a bundled vocabulary, {@code META-INF/kopeck/vocab/ID.EXT}, from its family's jar
   * ({@code kopeck-vocab-openai}, ...); null if there is no such resource.
   */
  private static <T> T bundled(String id, String ext, Reader<T> reader) {
    String res = VOCAB_DIR + id + ext;
    try (InputStream in = resource(res)) {
      return in == null ? null : reader.read(res, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + res, e);
    }
  }

  /** The one line for a vocabulary whose family's jar is not on the class path. */
  static IllegalStateException missing(String id) {
    Names.Tokenizer t = Names.Tokenizer.of(id);
    String artifact = "dev.kopeck:" + (t == null ? "kopeck-vocab" : t.artifact);
    return new IllegalStateException(id + " needs " + artifact + " on the class path (no " + VOCAB_DIR + id
        + ".* there)");
  }

  /**
   * Loads a bundled byte-level vocabulary: {@code ID.kbbl}, with its lookup tables from {@code ID.kbbt}
   * where there is one (the command line's jar: {@code build/VocabularyTables.java}), or {@code ID.kbbs},
   * added tokens over another bundled vocabulary (o200k_harmony over o200k_base).
   */
  public static ByteVocabulary bundledByteVocabulary(String id) {
    ByteVocabulary v = bundled(id, ".kbbl", (res, in) -> {
      String tables = VOCAB_DIR + id + ".kbbt"; // its tables ready to use: in the CLI's jar, not the libraries'
      try (InputStream t = resource(tables)) {
        return ByteVocabulary.read(res, in, tables, t);
      }
    });
    if (v == null) {
      v = bundled(id, ".kbbs", (res, in) -> ByteVocabulary.readOver(res, in, base -> {
        byte[] file = bundled(base, ".kbbl", (r, i) -> i.readAllBytes());
        if (file == null) {
          throw missing(base);
        }
        return file;
      }));
    }
    if (v == null) {
      throw missing(id);
    }
    return v;
  }

  /** Loads a bundled SentencePiece-style vocabulary ({@code ID.kbpe}). */
  public static BpeVocabulary bundledVocabulary(String id) {
    BpeVocabulary v = bundled(id, ".kbpe", BpeVocabulary::read);
    if (v == null) {
      throw missing(id);
    }
    return v;
  }

  private static TokenCounter bundledBpe(String id) {
    return new BpeTokenizer(id, bundledVocabulary(id));
  }

  private static WalkingCounter engine(TokenCounter c) {
    TokenCounter d = c instanceof Lazy ? ((Lazy) c).get() : c;
    if (!(d instanceof WalkingCounter)) {
      throw new IllegalArgumentException("not one of Kopeck's engines: " + c.id());
    }
    return (WalkingCounter) d;
  }

  /**
   * The ids of a counter's walk over the text in windows of about {@code windowChars} chars
   * (Integer.MAX_VALUE: one window, one pass over a copy of the whole text): for tests that compare
   * window sizes.
   */
  public static int[] encodeInWindows(TokenCounter c, CharSequence text, int windowChars) {
    TokenSink.Ids out = new TokenSink.Ids();
    engine(c).walk(text, 0, text.length(), Integer.MAX_VALUE, out, windowChars);
    return out.toArray();
  }

  /**
   * Every place a counter may cut this text to count its parts in parallel (none where its
   * vocabulary does not allow it): for tests that cut there and compare the ids.
   */
  public static int[] allowedCuts(TokenCounter c, CharSequence text) {
    return engine(c).allowedCuts(text);
  }

  /** The ids of the text cut at {@code cuts} (ascending), each part encoded alone: for tests. */
  public static int[] encodeParts(TokenCounter c, CharSequence text, int[] cuts) {
    return engine(c).encodeParts(text, cuts);
  }

  /** The cuts {@link TokenCounter#count} would make for this many threads: for tests and benchmarks. */
  public static int[] cuts(TokenCounter c, CharSequence text, int threads) {
    return engine(c).cuts(text, threads);
  }

  /** A count on a pool of {@code threads} threads of its own (1: the caller alone): for benchmarks. */
  public static int count(TokenCounter c, CharSequence text, int threads) {
    return engine(c).count(text, threads);
  }

  /** Loads its delegate once, on first use, and is thread-safe. */
  static final class Lazy implements TokenCounter {
    private final String id;
    private final Supplier<TokenCounter> loader;
    private volatile TokenCounter delegate;

    Lazy(String id, Supplier<TokenCounter> loader) {
      this.id = id;
      this.loader = loader;
    }

    TokenCounter get() {
      TokenCounter d = delegate;
      if (d == null) {
        synchronized (this) {
          d = delegate;
          if (d == null) {
            d = loader.get();
            delegate = d;
          }
        }
      }
      return d;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public int count(CharSequence text) {
      return get().count(text);
    }

    @Override
    public int countUpTo(CharSequence text, int limit) {
      return get().countUpTo(text, limit);
    }

    @Override
    public int[] encode(CharSequence text) {
      return get().encode(text);
    }

    @Override
    public String decode(int[] ids) {
      return get().decode(ids);
    }

    @Override
    public CharSequence truncate(CharSequence text, int maxTokens) {
      return get().truncate(text, maxTokens);
    }
  }
}
