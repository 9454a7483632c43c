package dev.kopeck.tokens.media;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzz of every parser: each real sample, mutated (bytes flipped in the header,
 * sizes set to 0 or 0xFFFFFFFF, truncated, bytes inserted), must either measure or fail with a
 * {@link MediaException}: never another exception, an OutOfMemoryError or a hang (every parser's
 * loops are bounded by the input's size or a fixed cap). The budget is
 * {@code -Dkopeck.fuzz.iterations=N} mutations per sample (default 300); a failure prints the seed.
 */
class MediaFuzzTest {
  static final int ITERATIONS = Integer.getInteger("kopeck.fuzz.iterations", 300);
  static final long SEED = Long.getLong("kopeck.fuzz.seed", 20261125L);
  /** The most one mutated input may take before the fuzz calls it a hang. */
  static final long HANG_MS = Long.getLong("kopeck.fuzz.hangMillis", 10_000L);

  @Test
  void mutatedSamplesFailCleanly() throws Exception {
    List<Path> samples;
    try (var s = Files.list(MediaProbeTest.DIR)) {
      samples = s.filter(p -> !p.toString().endsWith(".tsv")).sorted().toList();
    }
    SplittableRandom root = new SplittableRandom(SEED);
    int measured = 0;
    int refused = 0;
    for (Path p : samples) {
      byte[] original = Files.readAllBytes(p);
      for (int i = 0; i < ITERATIONS; i++) {
        long seed = root.nextLong();
        byte[] b = mutate(original, new SplittableRandom(seed));
        long started = System.nanoTime();
        try {
          MediaInfo m = i % 3 == 0 ? MediaProbe.probe("fuzz", new ByteArrayInputStream(b))
              : i % 3 == 1 ? MediaProbe.probeBase64("fuzz", Base64.getEncoder().encodeToString(b))
              : MediaProbe.probe("fuzz", b);
          MediaRules.require("gemini-2.0").tokens(m);
          measured++;
        } catch (MediaException expected) {
          refused++;
        } catch (Throwable t) {
          fail("%s with mutation seed %d (-Dkopeck.fuzz.seed to replay): %s", p.getFileName(), seed, t, t);
        }
        // not a speed target: a hang detector, far above the milliseconds an input takes
        long ms = (System.nanoTime() - started) / 1_000_000;
        if (ms > HANG_MS) {
          fail("%s with mutation seed %d took %d ms: a parser loop that is not bounded?", p.getFileName(), seed, ms);
        }
      }
    }
    System.out.printf("media fuzz: %d samples x %d mutations: %d measured, %d refused cleanly%n",
        samples.size(), ITERATIONS, measured, refused);
  }

  static byte[] mutate(byte[] in, SplittableRandom r) {
    byte[] b = in.clone();
    int kind = r.nextInt(6);
    int head = Math.min(b.length, 256);
    switch (kind) {
      case 0: // flip bytes in the header
        for (int k = 0, n = 1 + r.nextInt(8); k < n && head > 0; k++) {
          b[r.nextInt(head)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      case 1: // a 32-bit size field set to an extreme
        if (b.length >= 4) {
          int at = r.nextInt(Math.max(1, head - 3)) & ~1;
          int v = r.nextBoolean() ? 0xFFFFFFFF : r.nextBoolean() ? 0 : r.nextInt();
          b[at] = (byte) (v >>> 24);
          b[at + 1] = (byte) (v >>> 16);
          b[at + 2] = (byte) (v >>> 8);
          b[at + 3] = (byte) v;
        }
        return b;
      case 5: // bytes flipped anywhere: a PDF's structure is at its end
        for (int k = 0, n = 1 + r.nextInt(8); k < n && b.length > 0; k++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      case 2: // truncated
        return Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length));
      case 3: // random bytes inserted into the header
        int at = head == 0 ? 0 : r.nextInt(head);
        byte[] ins = new byte[1 + r.nextInt(16)];
        r.nextBytes(ins);
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
      default: // bytes anywhere
        for (int k = 0, n = 1 + r.nextInt(32); k < n && b.length > 0; k++) {
          b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return b;
    }
  }
}
