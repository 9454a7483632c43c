package dev.kopeck.tokens.media;

import dev.kopeck.base.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures images, audio, video and PDFs from their headers: width and height, seconds, pages.
 * Pixels and samples are never decoded; formats that keep their length at the end (Ogg, MP3
 * without a VBR header) read the tail or walk frame headers, never the whole. Every problem is a
 * {@link MediaException} naming the format and the byte offset.
 *
 * <p>Formats: PNG, JPEG, GIF, WebP (VP8, VP8L, VP8X), HEIC/HEIF/AVIF, BMP; WAV, MP3, AAC (ADTS and
 * M4A), FLAC, Ogg Vorbis and Opus, AIFF; MP4, MOV, WebM, Matroska; PDF.
 */
public final class MediaProbe {
  private MediaProbe() {}

  public static MediaInfo probe(String source, byte[] bytes) {
    return run(Source.of(source, bytes));
  }

  public static MediaInfo probe(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return run(Source.of(file.toString(), ch));
    } catch (NoSuchFileException e) {
      throw new InputException(file.toString(), null, "no such file");
    } catch (IOException e) {
      throw new InputException(file.toString(), null, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Reads the stream only as far as the format needs (to its end for Ogg, MP4 with moov at the end). */
  public static MediaInfo probe(String source, InputStream in) {
    return run(Source.of(source, in));
  }

  /** Base64 (standard or URL-safe, padded or not), decoded only where the header is. */
  public static MediaInfo probeBase64(String source, CharSequence base64) {
    return probeBase64(source, base64, 0, base64.length());
  }

  /**
   * Base64 in {@code text[start, end)}, never copied. Line-wrapped base64 (MIME's 76 or PEM's 64
   * characters a line) is recognised by a break at those columns and unwrapped; other stray
   * whitespace is an error naming its position.
   */
  static MediaInfo probeBase64(String source, CharSequence text, int start, int end) {
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    boolean wrapped = (end - start > 64 && Character.isWhitespace(text.charAt(start + 64)))
        || (end - start > 76 && Character.isWhitespace(text.charAt(start + 76)));
    if (wrapped) {
      StringBuilder sb = new StringBuilder(end - start);
      for (int k = start; k < end; k++) {
        char c = text.charAt(k);
        if (!Character.isWhitespace(c)) {
          sb.append(c);
        }
      }
      return run(Source.base64(source, sb, 0, sb.length()));
    }
    return run(Source.base64(source, text, start, end));
  }

  /** A {@code data:} URL: {@code data:image/png;base64,....}; the payload is not copied. */
  public static MediaInfo probeDataUrl(String source, CharSequence url) {
    int comma = -1;
    int limit = Math.min(url.length(), 512);
    for (int i = 0; i < limit; i++) {
      if (url.charAt(i) == ',') {
        comma = i;
        break;
      }
    }
    String head = url.subSequence(0, Math.max(comma, 0)).toString().toLowerCase(Locale.ROOT);
    if (!head.startsWith("data:") || comma < 0) {
      throw new MediaException(source, "data-url", 0, "not a data: URL (data:<type>;base64,<data>)");
    }
    if (head.endsWith(";base64")) {
      return probeBase64(source, url, comma + 1, url.length());
    }
    String decoded = java.net.URLDecoder.decode(url.subSequence(comma + 1, url.length()).toString(),
        StandardCharsets.ISO_8859_1);
    return probe(source, decoded.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * The format the first bytes announce ({@code png}, {@code mp3}, {@code pdf}, ...), or empty for
   * anything else (text, unknown binary). Needs up to the first 64 bytes.
   */
  public static Optional<String> detect(byte[] head) {
    Source s = Source.of("head", head);
    try {
      return Optional.ofNullable(kind(s));
    } catch (MediaException e) {
      return Optional.empty();
    }
  }

  private static String kind(Source s) {
    if (!s.has(3)) {
      return null;
    }
    if (s.u8(0) == 0x89 && s.startsWith(1, "PNG\r\n\u001a\n")) {
      return "png";
    }
    if (s.u8(0) == 0xFF && s.u8(1) == 0xD8 && s.u8(2) == 0xFF) {
      return "jpeg";
    }
    if (s.startsWith(0, "GIF87a") || s.startsWith(0, "GIF89a")) {
      return "gif";
    }
    if (s.startsWith(0, "RIFF") && s.startsWith(8, "AVI ")) {
      return "avi";
    }
    if (s.startsWith(0, "FLV") && s.u8(3) == 1) {
      return "flv";
    }
    if (s.u8(0) == 0x30 && s.u8(1) == 0x26 && s.u8(2) == 0xB2 && s.u8(3) == 0x75 && s.has(30)) {
      return "asf";
    }
    if (s.u8(0) == 0 && s.u8(1) == 0 && s.u8(2) == 1 && s.u8(3) == 0xBA) {
      return "mpeg-ps";
    }
    if (s.u8(0) == 0x47 && s.has(377) && s.u8(188) == 0x47 && s.u8(376) == 0x47) {
      return "mpeg-ts";
    }
    if (s.startsWith(0, "RIFF") && s.startsWith(8, "WEBP")) {
      return "webp";
    }
    if ((s.startsWith(0, "RIFF") || s.startsWith(0, "RF64") || s.startsWith(0, "BW64")) && s.startsWith(8, "WAVE")) {
      return "wav";
    }
    if (s.startsWith(4, "ftyp")) {
      return IsoBmff.isImageBrand(s) ? "heif" : "mp4";
    }
    if (s.startsWith(0, "BM") && s.has(26) && s.u32le(14) >= 12 && s.u32le(14) <= 256) {
      return "bmp";
    }
    if (s.startsWith(0, "fLaC")) {
      return "flac";
    }
    if (s.startsWith(0, "OggS")) {
      return "ogg";
    }
    if (s.startsWith(0, "FORM") && (s.startsWith(8, "AIFF") || s.startsWith(8, "AIFC"))) {
      return "aiff";
    }
    if (s.u8(0) == 0x1A && s.u8(1) == 0x45 && s.u8(2) == 0xDF && s.u8(3) == 0xA3) {
      return "matroska";
    }
    for (int i = 0; i < 1024 - 5 && s.has(i + 4); i++) {
      if (s.u8(i) == '%' && s.startsWith(i, "%PDF-")) {
        return "pdf";
      }
      if (i > 0 && s.u8(i) == 0) {
        break;
      }
    }
    long p = s.startsWith(0, "ID3") ? Audio.skipId3(s) : 0;
    if (s.has(p + 3) && s.u8(p) == 0xFF) {
      int b1 = s.u8(p + 1);
      if ((b1 & 0xF6) == 0xF0) {
        return "aac";
      }
      if ((b1 & 0xE0) == 0xE0 && Audio.frame(s, p) != null) {
        return "mp3";
      }
    }
    if (p > 0) {
      return "mp3"; // an ID3 tag: audio follows
    }
    // junk or zeros before the first frame: two MPEG audio frames in a row say it is one
    for (long q = 0; q < 65536 && s.has(q + 4); q++) {
      if (s.u8(q) == 0xFF) {
        int[] f = Audio.frame(s, q);
        if (f != null && f[2] > 4) {
          int[] g = Audio.frame(s, q + f[2]);
          if (g != null && g[0] == f[0]) {
            return "mp3";
          }
        }
      }
    }
    return null;
  }

  /**
   * A format Kopeck recognises but does not measure ("TIFF images"), named so that a file of it is
   * not refused as bad text; null for anything else.
   */
  static String unread(Source s) {
    if (!s.has(4)) {
      return null;
    }
    if (s.startsWith(0, "II*\u0000") || s.startsWith(0, "MM\u0000*")) {
      return "TIFF images";
    }
    if (s.u8(0) == 0 && s.u8(1) == 0 && s.u8(2) == 1 && s.u8(3) == 0 && s.has(6) && s.u8(4) > 0) {
      return "ICO icons";
    }
    if (s.startsWith(0, "#!AMR")) {
      return "AMR audio";
    }
    if (s.u8(0) == 'P' && s.u8(1) >= '1' && s.u8(1) <= '6' && (s.u8(2) == '\n' || s.u8(2) == ' ' || s.u8(2) == '\r')
        && s.has(8) && netpbm(s)) {
      return "Netpbm images (PBM, PGM, PPM)";
    }
    return null;
  }

  /** "P5 640 480 255" and then the pixels: a plausible Netpbm header, not a text that starts with "P5". */
  private static boolean netpbm(Source s) {
    long p = 2;
    long[] v = new long[3];
    int fields = s.u8(1) == '1' || s.u8(1) == '4' ? 2 : 3;
    for (int k = 0; k < fields; k++) {
      while (s.has(p + 1) && (s.u8(p) == ' ' || s.u8(p) == '\n' || s.u8(p) == '\r' || s.u8(p) == '\t')) {
        p++;
      }
      long n = 0;
      int digits = 0;
      while (s.has(p + 1) && s.u8(p) >= '0' && s.u8(p) <= '9' && digits < 7) {
        n = n * 10 + s.u8(p) - '0';
        p++;
        digits++;
      }
      if (digits == 0 || n == 0) {
        return false;
      }
      v[k] = n;
    }
    return fields == 2 || v[2] <= 65535;
  }

  /**
   * What a file holds, decided by its structure: a {@code medium}, or {@code text} (decoded), never
   * both.
   */
  public record Content(MediaInfo medium, String text) {}

  /**
   * The medium in {@code bytes}, or their text: a format is decided by the whole structure it reads,
   * not by its first bytes, so a text that starts like a medium ("GIF89a", "ID3", "OggS", "%PDF-", a
   * UTF-16 byte-order mark) but does not parse as one is text. Bytes that are neither are refused:
   * by the format they claimed, or naming a format Kopeck does not read. The bytes are decoded once.
   *
   * @throws MediaException a medium that cannot be measured and is not text, or a format not read
   * @throws InputException bytes of no format that are not text either: where the text goes wrong
   */
  public static Content identify(String source, byte[] bytes) {
    Source s = Source.of(source, bytes);
    String kind;
    try {
      kind = kind(s);
    } catch (MediaException e) {
      kind = null;
    }
    if (kind != null) {
      try {
        return new Content(run(s), null);
      } catch (MediaException e) {
        try {
          return new Content(null, dev.kopeck.base.Texts.decode(source, bytes));
        } catch (InputException notText) {
          throw e;
        }
      }
    }
    String unread = unread(s);
    if (unread != null) {
      throw s.error(0, unread + " are not read: Kopeck measures PNG, JPEG, GIF, WebP, HEIC, HEIF, AVIF and BMP"
          + " images; WAV, MP3, AAC, FLAC, Ogg, AIFF and WMA audio; MP4, MOV, WebM, Matroska, AVI, FLV, WMV and"
          + " MPEG video; PDF");
    }
    return new Content(null, dev.kopeck.base.Texts.decode(source, bytes)); // neither: the text's error, at its byte
  }

  /** The medium in {@code bytes}, or empty when they are text: {@link #identify} without the text. */
  public static Optional<MediaInfo> probeUnlessText(String source, byte[] bytes) {
    return Optional.ofNullable(identify(source, bytes).medium());
  }

  private static MediaInfo run(Source s) {
    try {
      String kind = kind(s);
      if (kind == null) {
        String unread = unread(s);
        throw s.error(0, unread != null ? unread + " are not read by Kopeck"
            : "not an image, audio, video or PDF format Kopeck reads (unknown magic bytes)");
      }
      switch (kind) {
        case "png":
          return Images.whole(s, Images.png(s));
        case "jpeg":
          return Images.whole(s, Images.jpeg(s));
        case "gif":
          return Images.whole(s, Images.gif(s));
        case "webp":
          return Images.whole(s, Images.webp(s));
        case "bmp":
          return Images.bmp(s);
        case "heif":
          return IsoBmff.heif(s);
        case "mp4":
          return IsoBmff.movie(s);
        case "wav":
          return Audio.wav(s);
        case "mp3":
          return Audio.mp3(s);
        case "aac":
          return Audio.adts(s);
        case "flac":
          return Audio.flac(s);
        case "ogg":
          return Audio.ogg(s);
        case "aiff":
          return Audio.aiff(s);
        case "matroska":
          return Matroska.parse(s);
        case "avi":
          return VideoContainers.avi(s);
        case "flv":
          return VideoContainers.flv(s);
        case "asf":
          return VideoContainers.asf(s);
        case "mpeg-ts":
          return VideoContainers.mpeg(s, true);
        case "mpeg-ps":
          return VideoContainers.mpeg(s, false);
        case "pdf":
          return Pdf.pages(s);
        default:
          throw new IllegalStateException(kind);
      }
    } catch (UncheckedIOException e) {
      throw new MediaException(s.name, s.format, -1, "cannot read: " + e.getCause().getMessage());
    } catch (ArithmeticException e) {
      throw new MediaException(s.name, s.format, -1, "a size or count out of range");
    }
  }
}
