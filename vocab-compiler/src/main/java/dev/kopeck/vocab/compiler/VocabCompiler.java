package dev.kopeck.vocab.compiler;

import dev.kopeck.tokens.internal.BpeVocabulary;

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
      if (Boolean.getBoolean("kopeck.verbose")) {
        System.out.printf("vocabulary %s: %s -> %s (%d bytes)%n", in, v.summary(), out, Files.size(out));
      }
    }
  }
}
