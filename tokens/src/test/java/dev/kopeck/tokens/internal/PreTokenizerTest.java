package dev.kopeck.tokens.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each hand-written pre-tokenizer cuts text exactly where its regular expression does. Both sides
 * use Java's character classes here (the scanner with {@link UnicodeClasses#jdk()}, the JDK regex
 * engine with Unicode classes and case folding), so the test checks the scanners' logic:
 * alternation order, greedy runs, backtracking, the lookahead at the end of a stretch. Which
 * Unicode version classifies a character is checked against the references by the golden corpus.
 */
class PreTokenizerTest {
  private static final UnicodeClasses JDK = UnicodeClasses.jdk();

  /** Characters each family treats differently, and some that every family shares. */
  private static final String[] ALPHABET = {
      "a", "b", "Z", "s", "S", "t", "l", "L", "e", "r", "v", "m", "d", "D", "ſ", "'", "’", " ", " ", " ", "  ",
      "\n", "\r", "\r\n", "\t", "\u00a0", "\u3000", "\u2028", "\u000b", "0", "7", "12", "1234", "½", "①", "٣", "Ⅻ",
      ".", ",", "!", "/", "-", "_", "<", ">", "\"", "€", "∑", "^", "`", "\u0301", "\u0903", "\u20dd", "ǅ", "ʰ",
      "ᵃ", "中", "文", "龥", "龦", "あ", "ア", "・", "ー", "゛", "゠", "한", "ß", "Ä", "É", "Σ", "ς", "𝐀", "𝐚", "😀",
      "𠀀", "\u200d", "\u0001", "\ue000", "\u00ad", "\u0600", "\u180e", "x", "y", "Q"};

  static String random(Random r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  static List<String> scanner(PreTokenizer p, String s) {
    List<String> out = new ArrayList<>();
    int[] state = {-1};
    char[] a = s.toCharArray();
    int i = 0;
    while (i < s.length()) {
      int e = p.next(a, i, s.length(), JDK, state);
      assertThat(e).as("progress at %d in %s", i, s).isGreaterThan(i);
      out.add(s.substring(i, e));
      i = e;
    }
    return out;
  }

  static Pattern compile(String regex) {
    return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE);
  }

  /** HuggingFace's Split with behavior Isolated: matches, and the text between them, as pieces. */
  static List<String> isolated(Pattern p, String s) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(s);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        out.add(s.substring(last, m.start()));
      }
      if (m.end() > m.start()) {
        out.add(m.group());
      }
      last = m.end();
    }
    if (last < s.length()) {
      out.add(s.substring(last));
    }
    return out;
  }

  static List<String> regex(PreTokenizer p, String s) {
    if (p != PreTokenizer.DEEPSEEK) {
      return isolated(compile(p.regex), s);
    }
    List<String> pieces = List.of(s);
    for (String rx : List.of(PreTokenizer.DEEPSEEK.regex, PreTokenizer.DEEPSEEK_CJK, PreTokenizer.DEEPSEEK_WORDS)) {
      Pattern pat = compile(rx);
      List<String> next = new ArrayList<>();
      for (String piece : pieces) {
        next.addAll(isolated(pat, piece));
      }
      pieces = next;
    }
    return pieces;
  }

  @ParameterizedTest
  @EnumSource(PreTokenizer.class)
  void cutsWhereTheRegexCuts(PreTokenizer p) {
    Random r = new Random(17);
    for (int k = 0; k < 3000; k++) {
      String s = random(r, 1 + r.nextInt(40));
      assertThat(scanner(p, s)).as("%s on \"%s\"", p, s.replace("\n", "\\n").replace("\r", "\\r")).isEqualTo(regex(p, s));
    }
  }

  @ParameterizedTest
  @EnumSource(PreTokenizer.class)
  void cutsTheGoldenCases(PreTokenizer p) {
    for (String s : List.of("I'm you're HE'S we'LL 'ſ", "   leading", "trailing   ", "a  b\n\n  c\r\n\r\n d",
        "\u0301abc ABC\u0301def ǅungla ǄUNGLA", "12345678 ١٢٣٤ 3.14", "日本語のテキスト・データ、ー", "x\u0001\u0002y",
        "https://example.com/a/b?c=1", " \n", "\n ", " ", "'", "'s", "ABC'S", "a'LLb", "𝐀𝐁𝐂abc 𝐚𝐛")) {
      assertThat(scanner(p, s)).as("%s on \"%s\"", p, s).isEqualTo(regex(p, s));
    }
  }

  @Test
  void everyFamilyIsFoundByItsExpression() {
    for (PreTokenizer p : PreTokenizer.values()) {
      if (p != PreTokenizer.DEEPSEEK) {
        assertThat(PreTokenizer.ofRegex(p.regex)).isEqualTo(p);
      }
    }
    assertThat(PreTokenizer.ofRegex("\\w+")).isNull();
  }

  @Test
  void aLoneSurrogateIsOneReplacementCharacter() {
    // the references never see one: JavaScript's strings reach Rust as UTF-8, a lone surrogate as U+FFFD
    String s = "a\ud800b";
    assertThat(scanner(PreTokenizer.O200K, s)).containsExactly("a", "\ud800b");
    assertThat(PreTokenizer.cp(s.toCharArray(), 1, s.length())).isEqualTo(0xFFFD);
  }
}
