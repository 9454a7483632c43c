package dev.kopeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Deterministic benchmark texts.
 *
 * <ul>
 *   <li>{@code natural}: mixed prose, the shape of real text: English-like and Russian-like words
 *       drawn from a Zipf distribution over 60,000 word types (so a few words are very common and
 *       most are rare, as in real text), with punctuation, numbers, paragraphs, and every eighth
 *       paragraph a block of code or JSON;
 *   <li>{@code worst}: no spaces at all: a run of one letter, then base64 of random bytes, then
 *       digits, in thirds.
 * </ul>
 *
 * {@code java -cp bench/target/benchmarks.jar dev.kopeck.bench.BenchText natural|worst BYTES FILE}
 * writes one of that many UTF-8 bytes, so the reference tokenizers can be timed on the very same bytes.
 */
public final class BenchText {
  private static final String[] EN_SYL = {"the", "an", "re", "con", "ing", "er", "tion", "al", "st", "pro", "com",
    "ex", "ter", "ment", "ly", "ed", "de", "in", "ar", "or", "ou", "en", "it", "is", "at", "ch", "th", "sh", "per",
    "ble", "ous", "ight", "and", "for", "mis", "un", "pre", "ful", "ness", "a", "o", "i", "e", "y"};
  private static final String[] RU_SYL = {"по", "на", "ра", "ть", "ст", "ко", "ни", "ов", "ен", "ли", "при", "про",
    "ва", "ние", "ого", "ель", "ский", "за", "вы", "до", "то", "же", "не", "ма", "ле", "ре", "ка", "ие", "ый", "о"};
  private static final String[] CODE = {
    "    for (int i = 0; i < n; i++) {\n        total += price[i] * qty[i];\n    }\n",
    "{\"model\": \"google/gemini-2.0-flash-001\", \"usage\": {\"prompt_tokens\": 1290, \"completion_tokens\": 120}}\n",
    "def count(text: str) -> int:\n    return len(tokenizer.encode(text))\n",
    "<div class=\"row\"><span>Total:</span> <b>1 234,56 ₽</b></div>\n",
  };

  private BenchText() {}

  public static String natural(int chars, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int types = 60_000;
    String[] words = new String[types];
    for (int i = 0; i < types; i++) {
      String[] syl = i % 3 == 2 ? RU_SYL : EN_SYL;
      int n = 1 + (int) Math.min(5, Math.round(Math.log(i + 2) / 1.6));
      StringBuilder w = new StringBuilder();
      for (int k = 0; k < n; k++) {
        w.append(syl[r.nextInt(syl.length)]);
      }
      words[i] = w.toString();
    }
    // Zipf(1.0) by inverse CDF over a precomputed table
    double[] cdf = new double[types];
    double sum = 0;
    for (int i = 0; i < types; i++) {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
    StringBuilder sb = new StringBuilder(chars + 256);
    int sentence = 0;
    int paragraph = 0;
    while (sb.length() < chars) {
      int idx = java.util.Arrays.binarySearch(cdf, r.nextDouble() * sum);
      String w = words[idx < 0 ? -idx - 1 : idx];
      if (sentence == 0) {
        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
      }
      sb.append(w);
      sentence++;
      int p = r.nextInt(100);
      if (p < 4) {
        sb.append(", ");
      } else if (p < 5) {
        sb.append(' ').append(r.nextInt(10_000)).append(' ');
      } else if (sentence > 6 && p < 15) {
        sb.append(p < 13 ? ". " : "? ");
        sentence = 0;
        if (r.nextInt(8) == 0) {
          sb.append("\n\n");
          if (++paragraph % 8 == 0) {
            sb.append(CODE[r.nextInt(CODE.length)]).append('\n');
          }
        }
      } else {
        sb.append(' ');
      }
    }
    sb.setLength(chars);
    return sb.toString();
  }

  public static String worst(int chars, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder(chars + 16);
    int third = chars / 3;
    sb.append("a".repeat(third));
    byte[] bytes = new byte[third * 3 / 4 + 3];
    r.nextBytes(bytes);
    sb.append(Base64.getEncoder().encodeToString(bytes), 0, third);
    while (sb.length() < chars) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }

  /** A text of {@code kind} ("natural" or "worst") whose UTF-8 form is {@code bytes} long, or one less. */
  public static String ofBytes(String kind, int bytes) {
    String t = kind.equals("worst") ? worst(bytes, 42) : natural(bytes, 42);
    int b = 0;
    int i = 0;
    while (i < t.length()) {
      int cp = t.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (b + n > bytes) {
        break;
      }
      b += n;
      i += Character.charCount(cp);
    }
    return t.substring(0, i);
  }

  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[1]);
    String text = ofBytes(args[0], n);
    Files.writeString(Path.of(args[2]), text, StandardCharsets.UTF_8);
    System.out.println(args[2] + ": " + text.getBytes(StandardCharsets.UTF_8).length + " bytes, " + text.length() + " chars");
  }
}
