package dev.kopeck.tokens.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kopeck.tokens.media.MediaRules.Detail;
import dev.kopeck.tokens.media.MediaRules.Resolution;
import dev.kopeck.base.Modality;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real files made by ImageMagick, sox, ffmpeg, ghostscript and qpdf (tokens/src/test/media/make-samples.sh).
 * Token counts are derived by hand from the rules (docs/media.md); durations are checked against
 * ffprobe's (durations.tsv).
 */
class MediaProbeTest {
  static final Path DIR = Path.of("src/test/resources/media");
  static final MediaRules GEMINI = MediaRules.require("gemini-2.0");
  static final MediaRules OPENAI = MediaRules.require("openai-tiles");

  static byte[] read(String f) throws IOException {
    return Files.readAllBytes(DIR.resolve(f));
  }

  static Map<String, Double> ffprobe() throws IOException {
    Map<String, Double> m = new HashMap<>();
    List<String> lines = Files.readAllLines(DIR.resolve("durations.tsv"));
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split("\t");
      m.put(f[0], Double.parseDouble(f[1]));
    }
    return m;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      # file,                           format, width, height, gemini-2.0 tokens,          openai-tiles tokens
      png-1000x500.png,                   png,  1000,  500,  516,  425
      jpeg-384x384.jpg,                   jpeg,  384,  384,  258,  255
      jpeg-exif-384x384.jpg,              jpeg,  384,  384,  258,  255
      jpeg-progressive-3000x2000.jpg,     jpeg, 3000, 2000, 3096, 1105
      gif-200x100.gif,                    gif,   200,  100,  258,  255
      webp-lossy-800x600.webp,            webp,  800,  600,  516,  765
      webp-lossless-300x200.webp,         webp,  300,  200,  258,  255
      webp-alpha-1024x768.webp,           webp, 1024,  768,  516,  765
      bmp-640x480.bmp,                    bmp,   640,  480,  258,  425
      heic-1920x1080.heic,                heif, 1920, 1080, 1548, 1105
      avif-500x500.avif,                  avif,  500,  500,  258,  255
      """)
  void images(String file, String format, long w, long h, long gemini, long openai) throws IOException {
    // gemini-2.0: both sides <= 384 -> 258, else ceil(w/768) * ceil(h/768) * 258
    // openai-tiles: fit 2048x2048, shortest side to 768, 170 per 512-px tile + 85
    MediaInfo m = MediaProbe.probe(DIR.resolve(file));
    assertThat(m.modality()).isEqualTo(Modality.IMAGE);
    assertThat(m.format()).isEqualTo(format);
    assertThat(m.width()).isEqualTo(w);
    assertThat(m.height()).isEqualTo(h);
    assertThat(GEMINI.tokens(m)).isEqualTo(gemini);
    assertThat(OPENAI.tokens(m)).isEqualTo(openai);
    assertThat(OPENAI.tokens(m, Detail.LOW, Resolution.UNSPECIFIED)).isEqualTo(85);
    assertThat(GEMINI.tokens(m, Detail.AUTO, Resolution.LOW)).isEqualTo(64);
    assertThat(GEMINI.tokens(m, Detail.AUTO, Resolution.MEDIUM)).isEqualTo(256);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      # file,                  modality, format,     seconds (exact, or blank), tolerance vs ffprobe, gemini tokens (blank: ceil(32, 263 or 295 * seconds))
      wav-2.5s.wav,            AUDIO, wav,          2.5,   0.000001, 80
      wav-extensible-1s.wav,   AUDIO, wav,          1,     0.000001, 32
      flac-1.5s.flac,          AUDIO, flac,         1.5,   0.000001, 48
      aiff-1s.aiff,            AUDIO, aiff,         1,     0.000001, 32
      vorbis-2s.ogg,           AUDIO, ogg-vorbis,   2,     0.000001, 64
      opus-2s.opus,            AUDIO, ogg-opus,     ,      0.01,
      mp3-cbr-3s.mp3,          AUDIO, mp3,          ,      0.03,
      mp3-xing-2s.mp3,         AUDIO, mp3,          ,      0.03,
      mp3-id3-2s.mp3,          AUDIO, mp3,          ,      0.03,
      m4a-2s.m4a,              AUDIO, m4a,          ,      0.03,
      adts-2s.aac,             AUDIO, aac,          ,      0.05,
      webm-audio-2s.webm,      AUDIO, webm,         ,      0.001,
      mp4-3s-320x240.mp4,      VIDEO, mp4,          3,     0.000001, 789
      mp4-faststart-3s.mp4,    VIDEO, mp4,          3,     0.000001, 789
      mov-2s.mov,              VIDEO, mov,          2,     0.000001, 526
      webm-2s-160x120.webm,    VIDEO, webm,         2,     0.000001, 526
      mkv-2s.mkv,              VIDEO, matroska,     ,      0.001,
      """)
  void audioAndVideo(String file, Modality modality, String format, BigDecimal exact, double tolerance, Long tokens)
      throws IOException {
    // gemini-2.0: audio ceil(32 * seconds); video ceil(263 * seconds), 295 with a sound track (mkv-2s.mkv has one)
    MediaInfo m = MediaProbe.probe(DIR.resolve(file));
    assertThat(m.modality()).isEqualTo(modality);
    assertThat(m.format()).isEqualTo(format);
    assertThat(m.seconds().doubleValue()).isCloseTo(ffprobe().get(file), within(tolerance));
    if (exact != null) {
      assertThat(m.seconds()).isEqualByComparingTo(exact);
    }
    assertThat(m.withAudio()).isEqualTo(file.equals("mkv-2s.mkv"));
    long perSecond = modality == Modality.AUDIO ? 32 : m.withAudio() ? 295 : 263;
    long expected = tokens != null ? tokens
        : m.seconds().multiply(BigDecimal.valueOf(perSecond)).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    assertThat(GEMINI.tokens(m)).isEqualTo(expected);
  }

  /** Gemini's video-understanding page: a frame a second (66 tokens at LOW), 32 a second of sound, and metadata. */
  @Test
  void videoTokensFollowTheFramesTheSoundAndTheResolution() {
    BigDecimal ten = BigDecimal.TEN;
    assertThat(GEMINI.videoTokens(ten, false, MediaRules.Resolution.UNSPECIFIED)).isEqualTo(2630);
    assertThat(GEMINI.videoTokens(ten, true, MediaRules.Resolution.UNSPECIFIED)).isEqualTo(2950); // "about 300 a second"
    assertThat(GEMINI.videoTokens(ten, true, MediaRules.Resolution.HIGH)).isEqualTo(2950); // a frame is 258 at most
    assertThat(GEMINI.videoTokens(ten, true, MediaRules.Resolution.LOW)).isEqualTo(1030); // "about 100 a second"
    assertThat(GEMINI.videoTokens(ten, false, MediaRules.Resolution.LOW)).isEqualTo(710);
  }

  /** Which formats each family takes is part of its rules. */
  @Test
  void eachFamilySaysWhichFormatsItTakes() throws IOException {
    MediaInfo avif = MediaProbe.probe(DIR.resolve("avif-500x500.avif"));
    MediaInfo gif = MediaProbe.probe(DIR.resolve("gif-200x100.gif"));
    MediaInfo png = MediaProbe.probe(DIR.resolve("png-1000x500.png"));
    MediaInfo mkv = MediaProbe.probe(DIR.resolve("mkv-2s.mkv"));
    assertThat(GEMINI.notAccepted(png)).isNull();
    assertThat(GEMINI.notAccepted(avif)).isEqualTo("Gemini takes PNG, JPEG, WEBP, HEIC and HEIF images, not AVIF");
    assertThat(GEMINI.notAccepted(gif)).startsWith("Gemini takes PNG");
    assertThat(GEMINI.notAccepted(mkv)).startsWith("Gemini takes MP4");
    assertThat(OPENAI.notAccepted(gif)).isNull();
    assertThat(MediaRules.require("anthropic").notAccepted(avif))
        .isEqualTo("anthropic models take PNG, JPEG, WEBP and GIF images, not AVIF");
  }

  @Test
  void videoDimensionsWhenTheContainerSays() throws IOException {
    assertThat(MediaProbe.probe(DIR.resolve("mp4-3s-320x240.mp4"))).extracting(MediaInfo::width, MediaInfo::height)
        .containsExactly(320L, 240L);
    assertThat(MediaProbe.probe(DIR.resolve("webm-2s-160x120.webm"))).extracting(MediaInfo::width, MediaInfo::height)
        .containsExactly(160L, 120L);
  }

  @ParameterizedTest
  @CsvSource({"pdf-3pages.pdf, 3, 774", "pdf-objstm-3pages.pdf, 3, 774"})
  void pdfPages(String file, long pages, long tokens) throws IOException {
    // gemini-2.0: 258 tokens a page
    MediaInfo m = MediaProbe.probe(DIR.resolve(file));
    assertThat(m.modality()).isEqualTo(Modality.DOCUMENT);
    assertThat(m.pages()).isEqualTo(pages);
    assertThat(GEMINI.tokens(m)).isEqualTo(tokens);
  }

  /** Every way in: a file, bytes, a stream, base64, a data URL; all agree. */
  @Test
  void everyInputFormAgrees() throws IOException {
    try (var files = Files.list(DIR)) {
      for (Path p : files.filter(f -> !f.toString().endsWith(".tsv") && !f.getFileName().toString().matches(
          "pdf-password.*|unread-.*|text-.*")).sorted().toList()) {
        byte[] b = Files.readAllBytes(p);
        MediaInfo fromFile = MediaProbe.probe(p);
        String b64 = Base64.getEncoder().encodeToString(b);
        assertThat(MediaProbe.probe("x", b)).as(p.toString()).isEqualTo(fromFile);
        assertThat(MediaProbe.probe("x", new ByteArrayInputStream(b))).as(p.toString()).isEqualTo(fromFile);
        assertThat(MediaProbe.probeBase64("x", b64)).as(p.toString()).isEqualTo(fromFile);
        assertThat(MediaProbe.probeBase64("x", Base64.getUrlEncoder().withoutPadding().encodeToString(b)))
            .as(p.toString()).isEqualTo(fromFile);
        assertThat(MediaProbe.probeBase64("x", Base64.getMimeEncoder().encodeToString(b))).as(p.toString())
            .isEqualTo(fromFile);
        assertThat(MediaProbe.probeDataUrl("x", "data:application/octet-stream;base64," + b64)).as(p.toString())
            .isEqualTo(fromFile);
      }
    }
  }

  @Test
  void detectsByMagicBytesNotByName() throws IOException {
    assertThat(MediaProbe.detect(read("png-1000x500.png"))).contains("png");
    assertThat(MediaProbe.detect(read("heic-1920x1080.heic"))).contains("heif");
    assertThat(MediaProbe.detect(read("m4a-2s.m4a"))).contains("mp4");
    assertThat(MediaProbe.detect("just some text".getBytes())).isEmpty();
    assertThat(MediaProbe.detect(new byte[0])).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      empty                  |                                   | media: not an image, audio, video or PDF format Kopeck reads (unknown magic bytes)
      text                   | 68656c6c6f20776f726c64            | byte 0: media: not an image, audio, video or PDF format Kopeck reads (unknown magic bytes)
      png cut in IHDR        | 89504e470d0a1a0a0000000d49484452000003e8 | byte 20: png: truncated: the data ends before byte 20
      png of width 0         | 89504e470d0a1a0a0000000d494844520000000000000001 | byte 16: png: absurd dimensions 0x1
      png with huge height   | 89504e470d0a1a0a0000000d4948445200000001ffffffff | byte 16: png: absurd dimensions 1x4294967295
      jpeg without frame     | ffd8ffd9                          | byte 2: jpeg: end of image before any frame header
      jpeg segment length 0  | ffd8ffe00000                      | byte 4: jpeg: segment length 0 is less than 2
      jpeg scan before frame | ffd8ffda000c                      | byte 2: jpeg: scan data before any frame header
      box of size 4          | 000000146674797068656963000000000000000000000004ffffffff | byte 20: heif: box "????" has size 4, less than its header
      box past the end       | 00000014667479706865696300000000000000000000 0100 6d657461 | byte 20: heif: box "meta" of 256 bytes runs past the end of its parent at byte 28
      wav data past the end  | 52494646240000005741564566 6d74201000000001000100803e0000007d0000020010006461746100100000 | byte 40: wav: data chunk of 4096 bytes runs past the end at byte 44
      flac without samples   | 664c614300000022100010000000000000000ac440f000000000 | byte 21: flac: the total number of samples is unknown (0)
      """)
  void hostileInputNamesFormatAndOffset(String what, String hex, String message) {
    byte[] b = hex == null ? new byte[0] : java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
    assertThatThrownBy(() -> MediaProbe.probe("f", b))
        .isInstanceOf(MediaException.class)
        .hasMessageEndingWith(message);
  }

  @Test
  void aDataUrlThatIsNot() {
    assertThatThrownBy(() -> MediaProbe.probeDataUrl("u", "http://example.com/a.png"))
        .isInstanceOf(MediaException.class).hasMessage("u: byte 0: data-url: not a data: URL (data:<type>;base64,<data>)");
    assertThatThrownBy(() -> MediaProbe.probeBase64("u", "iVBORw0K!!!!"))
        .isInstanceOf(MediaException.class).hasMessageContaining("not base64 at character 8: '!'");
  }

  @Test
  void worstCaseForAnImageOfUnknownSize() {
    // gemini-2.0 scales images to fit 3072x3072: 4 x 4 tiles of 258; openai-tiles: 2048x768 gives 8 tiles
    assertThat(GEMINI.worstCaseImageTokens(Detail.AUTO, Resolution.UNSPECIFIED)).isEqualTo(4128);
    assertThat(OPENAI.worstCaseImageTokens(Detail.HIGH, Resolution.UNSPECIFIED)).isEqualTo(1445);
    assertThat(OPENAI.worstCaseImageTokens(Detail.LOW, Resolution.UNSPECIFIED)).isEqualTo(85);
  }
}
