package dev.kopeck.cli;

/**
 * Work started on a second thread so that it overlaps the main thread's reading (issue 33): loading a
 * vocabulary while a large file is read, the tariff tables while a request is parsed. The work is a
 * warm-up: what it loads is memoized, and a failure is left to the main thread's own call, which does
 * the work again and reports it.
 */
final class Background {
  private Background() {}

  static Thread start(String name, Runnable work) {
    Thread t = new Thread(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        // reported by the main thread's own call
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Loads the vocabulary of the counter {@code counter} gives (its first count loads it; a counter's
   * vocabulary is loaded once, and the next count waits for this one).
   */
  static Thread loadVocabulary(java.util.function.Supplier<dev.kopeck.tokens.TokenCounter> counter) {
    return start("kopeck-preload", () -> counter.get().count(""));
  }

  /** Waits for {@code t} to end (it may hold a lock the caller's next step needs anyway). */
  static void await(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
