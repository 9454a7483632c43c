package dev.kopeck.vocab.compiler;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterCategory;
import com.ibm.icu.lang.UProperty;
import dev.kopeck.tokens.internal.BpeVocabulary;
import dev.kopeck.tokens.internal.ByteVocabulary;
import dev.kopeck.tokens.internal.UnicodeClasses;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step: converts tokenizer files into Kopeck's binary vocabularies.
 *
 * <pre>
 *   VocabCompiler IN OUT [IN OUT ...]
 * </pre>
 *
 * OUT's extension says what to make: {@code .kbpe}, a SentencePiece-style vocabulary from a
 * HuggingFace tokenizer.json (Gemma); {@code .kbbl}, a byte-level one from a tokenizer.json or a
 * tiktoken encoding ({@code encoders/NAME.json} of the tiktoken npm package); {@code .kuc}, the
 * pre-tokenizers' Unicode classes from ICU4J (IN is ignored: write {@code icu}); {@code .kbbs}, a
 * byte-level one written as its added tokens over the vocabulary made just before it, which it must
 * equal in every other token (o200k_harmony over o200k_base: one copy of the ranks).
 */
public final class VocabCompiler {
  private VocabCompiler() {}

  public static void main(String[] args) throws Exception {
    if (args.length % 2 != 0 || args.length == 0) {
      throw new IllegalArgumentException("usage: VocabCompiler IN OUT.kbpe|OUT.kbbl|OUT.kuc [IN OUT ...]");
    }
    ByteVocabulary previous = null;
    String previousId = null;
    for (int i = 0; i < args.length; i += 2) {
      Path in = Path.of(args[i]);
      Path out = Path.of(args[i + 1]);
      Files.createDirectories(out.toAbsolutePath().getParent());
      String name = out.getFileName().toString();
      String summary;
      if (name.endsWith(".kuc")) {
        UnicodeClasses u = UnicodeClasses.build(VocabCompiler::icuClass, UCharacter.getUnicodeVersion().toString());
        try (OutputStream os = Files.newOutputStream(out)) {
          u.write(os);
        }
        summary = "Unicode " + u.version;
      } else if (name.endsWith(".kbbl") || name.endsWith(".kbbs")) {
        ByteVocabulary v;
        boolean tiktoken = isTiktoken(in);
        try (InputStream is = Files.newInputStream(in)) {
          v = tiktoken ? ByteVocabulary.fromTiktoken(in.toString(), is) : ByteVocabulary.fromTokenizerJson(in.toString(), is);
        }
        try (OutputStream os = Files.newOutputStream(out)) {
          if (name.endsWith(".kbbl")) {
            v.write(os);
          } else if (previous == null) {
            throw new IllegalArgumentException(out + ": a .kbbs is written over the .kbbl made before it;"
                + " there is none");
          } else {
            v.writeOver(previousId, previous, os);
          }
        }
        summary = v.summary() + (name.endsWith(".kbbs") ? ", over " + previousId : "");
        if (name.endsWith(".kbbl")) {
          previous = v;
          previousId = name.substring(0, name.length() - ".kbbl".length());
        }
      } else {
        BpeVocabulary v;
        try (InputStream is = Files.newInputStream(in)) {
          v = BpeVocabulary.fromTokenizerJson(in.toString(), is);
        }
        try (OutputStream os = Files.newOutputStream(out)) {
          v.write(os);
        }
        summary = v.summary();
      }
      if (Boolean.getBoolean("kopeck.verbose")) {
        System.out.printf("%s: %s -> %s (%d bytes)%n", in, summary, out, Files.size(out));
      }
    }
  }

  /** A tiktoken encoding file has {@code bpe_ranks} near its start. */
  private static boolean isTiktoken(Path in) throws java.io.IOException {
    try (InputStream is = Files.newInputStream(in)) {
      return new String(is.readNBytes(4096), StandardCharsets.UTF_8).contains("\"bpe_ranks\"");
    }
  }

  /** A code point's class bits from ICU's Unicode database. */
  static int icuClass(int cp) {
    int bits;
    switch (UCharacter.getType(cp)) {
      case UCharacterCategory.UPPERCASE_LETTER:
      case UCharacterCategory.TITLECASE_LETTER:
        bits = UnicodeClasses.UPPER;
        break;
      case UCharacterCategory.LOWERCASE_LETTER:
        bits = UnicodeClasses.LOWER;
        break;
      case UCharacterCategory.MODIFIER_LETTER:
      case UCharacterCategory.OTHER_LETTER:
        bits = UnicodeClasses.LETTER_OTHER;
        break;
      case UCharacterCategory.NON_SPACING_MARK:
      case UCharacterCategory.ENCLOSING_MARK:
      case UCharacterCategory.COMBINING_SPACING_MARK:
        bits = UnicodeClasses.MARK;
        break;
      case UCharacterCategory.DECIMAL_DIGIT_NUMBER:
      case UCharacterCategory.LETTER_NUMBER:
      case UCharacterCategory.OTHER_NUMBER:
        bits = UnicodeClasses.NUMBER;
        break;
      case UCharacterCategory.DASH_PUNCTUATION:
      case UCharacterCategory.START_PUNCTUATION:
      case UCharacterCategory.END_PUNCTUATION:
      case UCharacterCategory.CONNECTOR_PUNCTUATION:
      case UCharacterCategory.OTHER_PUNCTUATION:
      case UCharacterCategory.INITIAL_PUNCTUATION:
      case UCharacterCategory.FINAL_PUNCTUATION:
        bits = UnicodeClasses.PUNCT;
        break;
      case UCharacterCategory.MATH_SYMBOL:
      case UCharacterCategory.CURRENCY_SYMBOL:
      case UCharacterCategory.MODIFIER_SYMBOL:
      case UCharacterCategory.OTHER_SYMBOL:
        bits = UnicodeClasses.SYMBOL;
        break;
      default:
        bits = 0;
    }
    if (UCharacter.hasBinaryProperty(cp, UProperty.WHITE_SPACE)) {
      bits |= UnicodeClasses.SPACE;
    }
    return bits;
  }
}
