package dev.kopeck.tokens.internal;

import dev.kopeck.tokens.TokenCounter;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * What both engines share: counting, counting up to a limit and encoding are one walk over the
 * text, with or without a {@link TokenSink} to receive the tokens.
 *
 * <p>A large text is counted in parts on all cores: it is cut only where the engine says no piece
 * of its pre-tokenizer (and no added token) can cross ({@link #cutAt}; the proof per family is in
 * docs/design/tokenizers.md), so the parts' tokens, one after the other, are the tokens of one pass.
 */
abstract class WalkingCounter implements TokenCounter {
  /** Texts shorter than this (in chars) are counted on the calling thread alone. */
  static final int PARALLEL_MIN = 1 << 20;
  /** Parts are at least this long, and there are up to four a thread, for the threads to even out. */
  static final int PART_MIN = 1 << 18;
  /** How far past an even share of the text a cut is looked for, before that share is left whole. */
  static final int CUT_SEARCH = 1 << 16;

  final String id;

  WalkingCounter(String id) {
    this.id = id;
  }

  /**
   * The one walk over the text: returns the count, or {@code limit + 1} as soon as the count
   * passes {@code limit}; gives the tokens to {@code sink} (null: count only) until it says stop.
   */
  final int walk(CharSequence text, int limit, TokenSink sink) {
    return walk(text, 0, text.length(), limit, sink);
  }

  /**
   * The walk over {@code text[from, to)} as if it were the whole text (a part cut at allowed places);
   * the sink gets positions in {@code text}.
   */
  final int walk(CharSequence text, int from, int to, int limit, TokenSink sink) {
    return walk(text, from, to, limit, sink, Scratch.WINDOW);
  }

  /** Each thread's buffers, the text's copy among them. */
  final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /**
   * {@link #walk(CharSequence, int, int, int, TokenSink)} reading the text from a copy, a window of
   * about {@code w} chars at a time ({@link #windowEnd}; tests give any size). The engine reads a
   * {@code char[]}: under the client compiler, which the launcher runs with, every {@code
   * CharSequence.charAt} is an interface call, and those calls were a sixth of an 8 MiB count's CPU
   * (docs/benchmarks.md, issue 33, fifth pass). Each window ends where the text may be cut, so the
   * windows' tokens are the tokens of one pass, and the buffer stays 128 KB (a stretch with no such
   * place grows it, as a long piece grows the buffers BPE keeps). Returns the count, or {@code limit
   * + 1} once it passes {@code limit}.
   */
  final int walk(CharSequence text, int from, int to, int limit, TokenSink sink, int w) {
    Scratch s = scratch.get();
    s.stop = false;
    long total = 0;
    int p = from;
    while (p < to && total <= limit && !s.stop) {
      int q = windowEnd(text, p, to, w);
      char[] a = s.text(q - p);
      copy(text, p, q, a);
      total = window(s, text, a, p, q, limit, sink, total);
      p = q;
    }
    s.stop = false;
    return total > limit ? limit + 1 : (int) total;
  }

  /**
   * The engine's walk over the window {@code [from, to)} of {@code text}, whose copy is {@code a}
   * ({@code a[i - from]} is text position {@code i}; text positions, for added tokens and the sink,
   * stay the caller's): returns the count so far, {@code before} and this window's, or once past
   * {@code limit} a count past it; sets {@code s.stop} when the sink says stop.
   */
  abstract long window(Scratch s, CharSequence text, char[] a, int from, int to, int limit, TokenSink sink,
      long before);

  /** Whether the text may be cut at all ({@link #cutAt} false everywhere otherwise). */
  abstract boolean cuttable();

  @Override
  public final String id() {
    return id;
  }

  /**
   * Whether the text may be cut before {@code text[i]} ({@code 0 < i < length}): no piece and no
   * added token crosses {@code i} in one pass over the whole text, and the pass from {@code i} on
   * finds the same pieces as a pass over {@code [i, length)}. False everywhere for an engine or
   * vocabulary where that is not proved.
   */
  abstract boolean cutAt(CharSequence text, int i);

  /**
   * Where the window that starts at {@code p} ends: {@code to} when that is at most {@code w} chars
   * on; else the last place the text may be cut within {@code w}, but past half of it; else the
   * first after, however far (a run with no such place, such as a long word, is one window: its
   * BPE costs far more than the search); else {@code to}, as for a text that may not be cut at all.
   */
  private int windowEnd(CharSequence text, int p, int to, int w) {
    if (to - p <= w || !cuttable()) {
      return to;
    }
    int max = p + w;
    for (int i = max; i > p + w / 2; i--) {
      if (cutAt(text, i)) {
        return i;
      }
    }
    for (int i = max + 1; i < to; i++) {
      if (cutAt(text, i)) {
        return i;
      }
    }
    return to;
  }

  /** Copies {@code text[from, to)} into {@code a} from index 0. */
  private static void copy(CharSequence text, int from, int to, char[] a) {
    if (text instanceof String) {
      ((String) text).getChars(from, to, a, 0);
    } else if (text instanceof StringBuilder) {
      ((StringBuilder) text).getChars(from, to, a, 0);
    } else {
      for (int i = from; i < to; i++) {
        a[i - from] = text.charAt(i);
      }
    }
  }

  /** An ASCII letter: a cut is made only after one ({@link #cutAt} of each engine). */
  static boolean asciiLetter(char c) {
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  }

  /** The threads a large count uses: the common pool's, and the caller's. */
  private static final int THREADS = ForkJoinPool.getCommonPoolParallelism() + 1;

  @Override
  public final int count(CharSequence text) {
    if (text.length() >= PARALLEL_MIN && THREADS > 1) {
      int[] cuts = cuts(text, THREADS);
      if (cuts.length > 0) {
        return countParts(text, cuts);
      }
    }
    return walk(text, Integer.MAX_VALUE, null);
  }

  /**
   * Cuts for counting {@code text} on {@code threads} threads: about four parts a thread of at least
   * {@link #PART_MIN} chars each, each cut the first allowed one at or after an even share.
   */
  final int[] cuts(CharSequence text, int threads) {
    int n = text.length();
    int parts = (int) Math.min(4L * threads, n / PART_MIN);
    if (parts < 2) {
      return new int[0];
    }
    int[] cuts = new int[parts - 1];
    int k = 0;
    int last = 0;
    for (int p = 1; p < parts; p++) {
      int from = Math.max(last + 1, (int) ((long) n * p / parts));
      int to = Math.min(n - 1, from + CUT_SEARCH);
      for (int i = from; i < to; i++) {
        if (cutAt(text, i)) {
          cuts[k++] = i;
          last = i;
          break;
        }
      }
    }
    return Arrays.copyOf(cuts, k);
  }

  /** Every place the text may be cut ({@link #cutAt}), for tests. */
  final int[] allowedCuts(CharSequence text) {
    return IntStream.range(1, text.length()).filter(i -> cutAt(text, i)).toArray();
  }

  /** The count of the text cut at {@code cuts} (ascending), the parts counted in parallel. */
  final int countParts(CharSequence text, int[] cuts) {
    long total = IntStream.rangeClosed(0, cuts.length).parallel()
        .mapToLong(k -> walk(text, from(cuts, k), to(text, cuts, k), Integer.MAX_VALUE, null)).sum();
    return (int) Math.min(total, Integer.MAX_VALUE);
  }

  /** {@link #countParts} on a pool of its own with this many threads (1: the calling thread alone). */
  final int count(CharSequence text, int threads) {
    if (threads <= 1) {
      return walk(text, Integer.MAX_VALUE, null);
    }
    int[] cuts = cuts(text, threads);
    ForkJoinPool pool = POOLS.computeIfAbsent(threads, WalkingCounter::daemonPool);
    try {
      return pool.submit(() -> countParts(text, cuts)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
          : new IllegalStateException(e.getCause());
    }
  }

  /** The pools of {@link #count(CharSequence, int)}, one per size, kept: a benchmark's threads stay warm. */
  private static final java.util.concurrent.ConcurrentHashMap<Integer, ForkJoinPool> POOLS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static ForkJoinPool daemonPool(int threads) {
    return new ForkJoinPool(threads, pool -> {
      java.util.concurrent.ForkJoinWorkerThread t =
          ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setDaemon(true);
      return t;
    }, null, false);
  }

  /** The ids of the text cut at {@code cuts}, part after part, each walked alone in place: for tests. */
  final int[] encodeParts(CharSequence text, int[] cuts) {
    TokenSink.Ids out = new TokenSink.Ids();
    for (int k = 0; k <= cuts.length; k++) {
      walk(text, from(cuts, k), to(text, cuts, k), Integer.MAX_VALUE, out);
    }
    return out.toArray();
  }

  /** Where part {@code k} of the text cut at {@code cuts} starts. */
  private static int from(int[] cuts, int k) {
    return k == 0 ? 0 : cuts[k - 1];
  }

  /** Where part {@code k} of the text cut at {@code cuts} ends. */
  private static int to(CharSequence text, int[] cuts, int k) {
    return k == cuts.length ? text.length() : cuts[k];
  }

  @Override
  public final int countUpTo(CharSequence text, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    // a small limit stops early on one thread; a large one is worth the parts
    if (text.length() >= PARALLEL_MIN && limit >= PARALLEL_MIN / 4 && THREADS > 1) {
      int[] cuts = cuts(text, THREADS);
      if (cuts.length > 0) {
        // each part stops past the limit; if one did, the whole is past it too
        long total = IntStream.rangeClosed(0, cuts.length).parallel()
            .mapToLong(k -> walk(text, from(cuts, k), to(text, cuts, k), limit, null)).sum();
        return total > limit ? limit + 1 : (int) total;
      }
    }
    return walk(text, limit, null);
  }

  @Override
  public final int[] encode(CharSequence text) {
    TokenSink.Ids out = new TokenSink.Ids();
    walk(text, Integer.MAX_VALUE, out);
    return out.toArray();
  }
}
