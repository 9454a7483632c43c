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
    return t == null ? null : CACHE.computeIfAbsent(t.id, k -> new Lazy(k, () -> t.openAi ? new TiktokenCounter(k)
        : bundledBpe(k)));
  }

  public static TokenCounter bpe(String id, BpeVocabulary v) {
    return new BpeTokenizer(id, v);
  }

  /** Loads a bundled vocabulary ({@code META-INF/kopeck/vocab/ID.kbpe} from the kopeck-vocab jar). */
  public static BpeVocabulary bundledVocabulary(String id) {
    String res = VOCAB_DIR + id + ".kbpe";
    ClassLoader cl = Counters.class.getClassLoader();
    try (InputStream in = cl == null ? ClassLoader.getSystemResourceAsStream(res) : cl.getResourceAsStream(res)) {
      if (in == null) {
        throw new IllegalStateException("the " + id + " vocabulary is not on the class path (" + res
            + "); add the dev.kopeck:kopeck-vocab jar");
      }
      return BpeVocabulary.read(res, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + res, e);
    }
  }

  private static TokenCounter bundledBpe(String id) {
    return new BpeTokenizer(id, bundledVocabulary(id));
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

    private TokenCounter get() {
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
