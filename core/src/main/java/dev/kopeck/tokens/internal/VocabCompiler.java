package dev.kopeck.tokens.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step: {@code VocabCompiler tokenizer.json out.kbpe} converts a HuggingFace tokenizer.json
 * into Kopeck's binary vocabulary form.
 */
public final class VocabCompiler {
  private VocabCompiler() {}

  public static void main(String[] args) throws Exception {
    if (args.length % 2 != 0 || args.length == 0) {
      throw new IllegalArgumentException("usage: VocabCompiler tokenizer.json out.kbpe [tokenizer.json out.kbpe ...]");
    }
    for (int i = 0; i < args.length; i += 2) {
      Path in = Path.of(args[i]);
      Path out = Path.of(args[i + 1]);
      BpeVocabulary v;
      try (InputStream is = Files.newInputStream(in)) {
        v = BpeVocabulary.fromTokenizerJson(in.toString(), is);
      }
      Files.createDirectories(out.toAbsolutePath().getParent());
      try (OutputStream os = Files.newOutputStream(out)) {
        v.write(os);
      }
      System.out.printf("vocabulary %s: %d pieces, %d merges, %d added tokens, %d cross-boundary merges -> %s (%d bytes)%n",
          in, v.size(), v.mergeLeft.length, v.addedIds.length, v.crossMerges.length, out, Files.size(out));
    }
  }
}
