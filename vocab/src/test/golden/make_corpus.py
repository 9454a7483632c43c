#!/usr/bin/env python3
"""Writes the golden corpus: text chosen to break tokenizers. Deterministic; rerun to regenerate.

    python3 vocab/src/test/golden/make_corpus.py vocab/src/test/resources/golden/corpus
Then count it with the reference tokenizers: vocab/src/test/golden/update-golden.sh
"""
import base64, os, random, sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
files = {}

files["prose-en.txt"] = """The quick brown fox jumps over the lazy dog. Kopeck counts tokens and money, to the kopeck.
It's a well-known fact that tokenizers disagree: "co-operate", re-enter, e-mail, don't, won't, y'all'd've.
Mr. O'Neil paid $1,234.56 on 2025-02-05 at 10:30 a.m. (UTC+03:00) — roughly 15% more than last year…
"""
files["prose-ru.txt"] = """Съешь же ещё этих мягких французских булок, да выпей чаю. Копейка рубль бережёт.
Тариф: 15 ₽ за 1 млн входных токенов, 60 ₽ за 1 млн выходных; кэш — 3 ₽. «Ёлки-палки», сказал он.
Широкая электрификация южных губерний даст мощный толчок подъёму сельского хозяйства.
"""
files["prose-de-fr-es.txt"] = """Falsches Üben von Xylophonmusik quält jeden größeren Zwerg. Straße, Maß, Fußgängerübergänge.
Portez ce vieux whisky au juge blond qui fume. L'été où l'on s'est aimés, c'était déjà l'hiver.
El veloz murciélago hindú comía feliz cardillo y kiwi. ¿Dónde está la biblioteca? ¡Olé!
"""
files["cjk.txt"] = """天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。我能吞下玻璃而不伤身体。
いろはにほへと ちりぬるを わかよたれそ つねならむ。東京タワーは高いです。ｶﾀｶﾅ半角
키스의 고유조건은 입술끼리 만나야 하고 특별한 기술은 필요치 않다. 한국어 텍스트입니다.
"""
files["rtl.txt"] = """مرحبا بالعالم! هذا نص عربي للاختبار، مع أرقام ١٢٣٤٥ و 12345.
שלום עולם, זהו טקסט בעברית. סכום: ₪150.
Mixed: العربية English עברית 123 — done.
"""
files["indic-thai.txt"] = """नमस्ते दुनिया! यह हिंदी में एक वाक्य है। ক্ষমা করবেন। வணக்கம்.
สวัสดีครับ ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ
"""
files["emoji-zwj.txt"] = "Family: 👨‍👩‍👧‍👦 flag: 🇷🇺🇺🇦🇺🇸 skin: 👋🏽👍🏿 rainbow: 🏳️‍🌈 keycap: 1️⃣ #️⃣ heart: ❤️‍🔥 🧑🏻‍💻🫠🪿\n"
files["combining.txt"] = "Zalgo: Z̴̡̢̛̫̮a̸̧̛͎l̵̨̛͓g̷̢̛̣ǫ̶̛̖ e\u0301 vs é, n\u0303 vs ñ, A\u030a vs Å, Hangul jamo: \u1100\u1161\u11a8 vs 각\n"
files["control.txt"] = "tab\there\x0bvt\x0cff\rCR\r\nCRLF\x00NUL\x01\x02\x1b[31mred\x1b[0m\x7fDEL\u200bZWSP\u200d\ufeffBOM-in-middle\u2028LS\u2029PS\n"
files["digits.txt"] = "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651328230664709384460955058223172535940812848111745028410270193852110555964462294895493038196\n" + " ".join(str(10**i) for i in range(40)) + "\n1,000,000 1 000 000 1.000.000,50 0x1F 0b1010 1e-9 -42 +7 007\n"
files["whitespace.txt"] = "a  b   c    d     e\n\n\n\n\nf\t\tg\t \t h" + " " * 70 + "i\n" + "\n" * 45 + "j" + "\t" * 40 + "k \n \n  \n   end   \n"
files["leading-trailing-space.txt"] = "   leading and trailing   "
files["marker-literal.txt"] = "literal ▁ markers ▁▁ and ▁▁▁▁▁ runs ▁word word▁ ▁ ▁\n"
files["html-cross-merge.txt"] = "<div><p>Hello</p> </div>\n<span>a</span>  </b> x> </y a> </b>>  </\n<a href=\"x\">link</a>\n"
files["special-tokens.txt"] = "<start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\nHello<end_of_turn><eos><bos><pad><unk><mask>[multimodal]<unused0><unused99><image_soft_token><|endoftext|><|fim_prefix|><|endofprompt|>\n<start_of_turn <end_of_turn\n"
files["code-java.java"] = """package dev.kopeck.example;

import java.util.*;

public final class Fib {
    // Returns the n-th Fibonacci number; n >= 0.
    static long fib(int n) {
        if (n < 2) return n;
        long a = 0, b = 1;
        for (int i = 2; i <= n; i++) { long t = a + b; a = b; b = t; }
        return b;
    }

    public static void main(String[] args) {
        Map<String, List<Integer>> m = new HashMap<>();
        System.out.printf("%d%n", fib(Integer.parseInt(args[0])));
    }
}
"""
files["code-python.py"] = '''def tokenize(text: str) -> list[int]:
    """Return token ids."""
    out = []
    for i, ch in enumerate(text):
        if ch.isspace() and i > 0:
            out.append(ord(ch) ** 2 % 7)   # comment with   spaces
    return [x for x in out if x != 0]


if __name__ == "__main__":
    print(tokenize("a b\\tc"), {"k": [1, 2, 3]}, f"{3.0:.2f}")
'''
files["json.json"] = """{"model": "google/gemini-2.0-flash-001", "messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": [{"type": "text", "text": "What is in this image?"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}], "max_tokens": 256, "temperature": 0.2, "n": 1, "usage": {"prompt_tokens": 1290, "completion_tokens": 120}}
"""
files["json-pretty.json"] = """{
  "kopeck_tariff_format": 1,
  "models": [
    {
      "id": "gemini-2.0-flash",
      "rates": {"input": {"price": "15", "per": "1M"}},
      "nested": [[[[]]]], "empty": {}, "null": null, "true": true, "escaped": "\\u0041\\n\\"q\\""
    }
  ]
}
"""
files["markdown.md"] = """# Title

* item one
* item **two** with `code` and [a link](https://example.com/path?q=1&r=2#frag)

| col | col2 |
|-----|------|
| 1   | 2    |

> quote
```sh
mvn -B verify && java -jar cli/target/kopeck.jar count README.md
```
"""
files["long-word.txt"] = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 40 + " supercalifragilisticexpialidocious" * 3 + "\n"
rnd = random.Random(20261125)
files["base64.txt"] = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(6000))).decode() + "\n"
files["aaaa.txt"] = "a" * 5000 + "\n" + "ab" * 2000 + "\n" + "." * 1000 + "\n" + "=" * 777
files["url-path.txt"] = "https://example.com/a/b/c?x=1&y=%20z#top /usr/local/bin/kopeck C:\\Users\\x\\file.txt user@example.com @mention #hashtag\n"
files["math-symbols.txt"] = "∀x∈ℝ: x²≥0; ∑ᵢ aᵢ = ∫₀¹ f(x)dx ≈ 3.14 ± 0.01 → ∞; ½ ⅓ ¼; ℵ₀ ≠ 𝔠; 𝒜𝓑𝕮 𝟘𝟙𝟚\n"
files["mixed-scripts.txt"] = "English русский 中文 日本語 한국어 العربية עברית हिन्दी ελληνικά ქართული Հայերեն ไทย 🙂 mixed-in-one-line\n"
files["single-char.txt"] = "x"
files["empty.txt"] = ""
files["only-spaces.txt"] = "     "
files["only-newlines.txt"] = "\n\n\n"
files["private-use-and-rare.txt"] = "\ue000\uf8ff \U000f0000 \U0001d11e \U00010348 \u0378 rare: ꙮ 𓀀 𒀀 ⸻ \n"
# what each byte-level family does differently (issue 17)
files["digits-single.txt"] = "1234567890 12 345 6789012 ٣٤٥ ١٢٣٤ ①②③ ½ 3.14 1,000,000 v2.0.1 x86_64 ２０２５年 Ⅻ 0.000001 2026-11-27T17:21:40Z\n"
files["cjk-runs.txt"] = "日本語のテキスト・データ、ー長音ー。東京2025年12月の天気 カタカナとひらがな゛゜ 中文123汉字abc한국어 「括弧」 龦龥龧 𠀀𠀁 ゠ヿ ㈱ 〇一二三\n漢字かな交じり文、カタカナ語（テスト）！ 中文，标点。\n"
files["special-tokens-families.txt"] = ("<|start|>system<|message|>You are ChatGPT.<|end|><|start|>user<|message|>Hi<|end|>"
    "<|start|>assistant<|channel|>analysis<|message|>think<|end|><|start|>assistant<|channel|>final<|message|>Hello<|return|>"
    "<|constrain|>json<|call|>\n<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
    "<|reserved_special_token_0|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n</think>\nHello"
    "<|endoftext|><tool_call>{}</tool_call>\n<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜><think>x</think>"
    "<｜end▁of▁sentence｜> <|endofprompt|><|fim_prefix|> <|start <|end|\n")
files["nfc-nfd.txt"] = ("é e\u0301 Å A\u030a ñ n\u0303 ḱ ǘ u\u0308\u0301 한 \u1112\u1161\u11ab ﬁ ﬃ \u2126 \u212a \u212b q\u0307\u0323 "
    "q\u0323\u0307 \u0958 \u0915\u093c ế e\u0302\u0301 Ǻ a\u030a\u0301 \u0344 \u0374 \u037e ά \u1f71 Ä\u0304 \n")
files["crlf-spaces.txt"] = ("a\r\nb\r\n\r\n  c\n \n\tword   word\u00a0\u00a0word \u3000\u3000全角 \r \r\n\r\n   \n\n x  \t\n y   z\n"
    "    indented\n\t\ttabbed\r\n  \r\n\u2028\u2029\u0085 \u000b\u000c end   \n   Letters  after   spaces\n")
files["contractions.txt"] = ("I'm you're he's she'S we'LL they'VE it'D I'M 'S 'ſ don'ſ 'ﬅ can't won't y'all'd've O'REILLY's "
    "'s's 'll'll ’s «'t» ÉTÉ'S straße'Ll ΣΊΣΥΦΟΣ'd 123's '\n'")
files["marks-case.txt"] = ("\u0301abc ABC\u0301def ǅungla ǄUNGLA ǆ ᾈᾉ ʰʲ ˈstress ﬁne ŉ \u0903 ऀ ABCdef DEF'S ÀÉÎ'LL 𝐀𝐁𝐂abc 𝐚𝐛 "
    "ⅫⅩ Ⅻ's ⓐⓑ ß ẞ A\u0301\u0302B x\u20dd \u0300\u0301 .\u0301a ,\u0301 \u0301\u0301\u0301 ǅǅǅa ʰA ᵃᵇ\n")
files["gaps.txt"] = "a\u0001b\u0002\u0003c\u200d\u200c\ufeffd\ue000\ue001e\u00ad f\U000E0041 g \u0600\u0601 h\u180e i\x7f\x80\x9f j\n"
files["unicode-16-digit.txt"] = "\U00016133:f"
# Unicode 16's 20 new canonical compositions (Gurung Khema, Kirat Rai, Tulu-Tigalari, Todhri), decomposed and
# precomposed: the references' NFC data predates them, as Java 17's does
files["nfc-unicode-16.txt"] = ("\U0001611E\U0001611E \U00016121 \U0001611E\U00016129 \U00016122 \U00016D67\U00016D67 "
    "\U00016D68 a\U000113C2\U000113C2b \U000113C5 \U000105D2\u0307 \U000105C9 \U00011382\U000113C9 \U00011383\n")
# characters each Unicode version since 13 added (ICU4J 76.1's getAge), in the contexts the splits care about:
# Java 17's own tables stop at Unicode 13
UNICODE_NEW = {
"14.0": {"Ll": [0x2C5F, 0xA7D9, 0x1059C, 0x1DF00, 0x1DF19], "Lm": [0x8C9, 0x10782, 0x1AFF6], "Lo": [0x870, 0x88C, 0x10F7E, 0x11ABD, 0x12FA8, 0x1E295], "Lu": [0x2C2F, 0xA7D6, 0x10571, 0x1058E], "M": [0x898, 0x8CB, 0x1715, 0x1AC8, 0x1CF02], "N": [0x16AC0, 0x16AC9], "P": [0x61D, 0x1B7D, 0x2E53, 0x2E5B], "S": [0x888, 0xFD4B, 0x1CF56, 0x1F6DD, 0x1FAB9], "Cf": [0x890, 0x891]},
"15.0": {"Ll": [0x1DF25, 0x1DF2A], "Lm": [0x1E030, 0x1E067], "Lo": [0x1123F, 0x3145D, 0x32245], "M": [0xCF3, 0x10EFE, 0x11F00, 0x13440], "N": [0x11F50, 0x1D2C2, 0x1E4F0], "P": [0x11B00, 0x11F43], "S": [0x1F6DC, 0x1FA75, 0x1FACE], "Cf": [0x13439, 0x1343F]},
"15.1": {"Lo": [0x2EBF0, 0x2EC23, 0x2EE21], "S": [0x2FFC, 0x2FFF, 0x31EF]},
"16.0": {"Ll": [0x1C8A, 0xA7DB, 0x10D71], "Lm": [0x10D4E, 0x16D40, 0x16D6B], "Lo": [0x105C0, 0x1352F, 0x142F9], "Lu": [0x1C89, 0xA7CC, 0xA7DC, 0x10D51], "M": [0x897, 0x10D6C, 0x113B9, 0x1611F], "N": [0x10D40, 0x116D2, 0x11BF0, 0x16132, 0x16133, 0x16D74, 0x1CCF0], "P": [0x1B4E, 0x1B7F, 0x10D6E, 0x113D4, 0x16D6D], "S": [0x2427, 0x1CC36, 0x1CEA8]},
}
for version, groups in UNICODE_NEW.items():
    lines = []
    for group, cps in groups.items():
        for cp in cps:
            c = chr(cp)
            lines.append(f"{group}: a{c}b {c}x 1{c}2 ({c}) {c}{c}{c}'s Ab{c}CD {c}:f  {c}\t{c}. x{c}{c}1234{c}")
    files[f"unicode-{version}.txt"] = "\n".join(lines) + "\n"
# random strings mixing the scripts above: a fuzz of the word cutting
alphabet = list(" ▁\n\t.,<>/!?-_'\"0123456789aeiouxyzAEZабвгдеёжзийклмнопрстуфхцчшщъыьэюя中文日本語한국어عربيעבריתहिन्दी🙂👨‍👩‍👧🏽é\u0301") + ["</", "> </", "<start_of_turn>", "<unused1>", "  ", "\n\n"]
for k in range(40):
    n = rnd.randint(1, 400)
    files[f"random-{k:02d}.txt"] = "".join(rnd.choice(alphabet) for _ in range(n))

for name, text in files.items():
    with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)
print(f"{len(files)} files in {out}")
