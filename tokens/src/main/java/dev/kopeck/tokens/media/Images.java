package dev.kopeck.tokens.media;

/** Image headers: PNG, JPEG, GIF, WebP, BMP. Width and height only; pixels are never decoded. */
final class Images {
  /** The largest side accepted: PNG's own limit, 2^31 - 1. */
  static final long MAX_SIDE = 0x7FFFFFFFL;

  private Images() {}

  static MediaInfo checked(Source s, long at, long w, long h) {
    if (w <= 0 || h <= 0 || w > MAX_SIDE || h > MAX_SIDE) {
      throw s.error(at, "absurd dimensions " + w + "x" + h);
    }
    return MediaInfo.image(s.format, w, h);
  }

  /**
   * An image whose header reads may still be cut short, and a provider refuses a cut image. When
   * the size is known (bytes, a file, base64; not a stream, which is not read to its end for this),
   * the cheap end markers are checked: PNG's closing IEND chunk, GIF's trailer byte, JPEG's end of
   * image marker (at the end, or in the last 64 KiB, since some cameras append data after it), and
   * a WebP's RIFF size against the length.
   */
  static MediaInfo whole(Source s, MediaInfo info) {
    long n = s.size();
    if (n < 0) {
      return info;
    }
    switch (s.format) {
      case "png" -> {
        if (n < 20 || !s.startsWith(n - 8, "IEND")) {
          throw s.error(n, "truncated: the file ends at byte " + n + " without the IEND chunk that closes a PNG");
        }
      }
      case "gif" -> {
        if (s.u8(n - 1) != 0x3B) {
          throw s.error(n, "truncated: the file ends at byte " + n + " without the trailer (0x3B) that closes a GIF");
        }
      }
      case "jpeg" -> {
        boolean eoi = false;
        for (long p = n - 2; p >= Math.max(0, n - 65_536) && !eoi; p--) {
          eoi = s.u8(p) == 0xFF && s.u8(p + 1) == 0xD9;
        }
        if (!eoi) {
          throw s.error(n, "truncated: the file ends at byte " + n + " without the end-of-image marker (FF D9)");
        }
      }
      case "webp" -> {
        long riff = s.u32le(4) + 8;
        if (riff > n) {
          throw s.error(n, "truncated: the RIFF header says " + riff + " bytes, the file has " + n);
        }
      }
      default -> { }
    }
    return info;
  }

  static MediaInfo png(Source s) {
    s.format = "png";
    if (!s.startsWith(12, "IHDR")) {
      throw s.error(12, "the first chunk is not IHDR");
    }
    if (s.u32be(8) != 13) {
      throw s.error(8, "IHDR length " + s.u32be(8) + ", not 13");
    }
    return checked(s, 16, s.u32be(16), s.u32be(20));
  }

  /** Walks the segments to the first frame header (SOFn), past APPn/EXIF of any size. */
  static MediaInfo jpeg(Source s) {
    s.format = "jpeg";
    long p = 2;
    for (int segments = 0; segments < 100_000; segments++) {
      if (s.u8(p) != 0xFF) {
        throw s.error(p, String.format("expected a marker (0xFF), found 0x%02X", s.u8(p)));
      }
      int marker = s.u8(p + 1);
      while (marker == 0xFF) { // fill bytes
        p++;
        marker = s.u8(p + 1);
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        p += 2; // no length
        continue;
      }
      if (marker == 0xD9) {
        throw s.error(p, "end of image before any frame header");
      }
      int len = s.u16be(p + 2);
      if (len < 2) {
        throw s.error(p + 2, "segment length " + len + " is less than 2");
      }
      boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
      if (sof) {
        if (len < 8) {
          throw s.error(p + 2, "frame header length " + len + " is too short");
        }
        long h = s.u16be(p + 5);
        long w = s.u16be(p + 7);
        if (h == 0) {
          throw s.error(p + 5, "height 0 (defined by a later DNL marker) is not supported");
        }
        return checked(s, p + 5, w, h);
      }
      if (marker == 0xDA) {
        throw s.error(p, "scan data before any frame header");
      }
      p += 2 + len;
    }
    throw s.error(p, "too many segments");
  }

  static MediaInfo gif(Source s) {
    s.format = "gif";
    return checked(s, 6, s.u16le(6), s.u16le(8));
  }

  static MediaInfo webp(Source s) {
    s.format = "webp";
    String chunk = s.ascii(12, 4);
    switch (chunk) {
      case "VP8 ": {
        // frame tag (3 bytes), start code 9D 01 2A, then 14-bit width and height
        if (s.u8(23) != 0x9D || s.u8(24) != 0x01 || s.u8(25) != 0x2A) {
          throw s.error(23, "missing the VP8 start code");
        }
        return checked(s, 26, s.u16le(26) & 0x3FFF, s.u16le(28) & 0x3FFF);
      }
      case "VP8L": {
        if (s.u8(20) != 0x2F) {
          throw s.error(20, "missing the VP8L signature 0x2F");
        }
        long bits = s.u32le(21);
        return checked(s, 21, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
      }
      case "VP8X":
        return checked(s, 24, s.u24le(24) + 1L, s.u24le(27) + 1L);
      default:
        throw s.error(12, "unknown WebP chunk \"" + chunk.replaceAll("[^ -~]", "?") + "\"");
    }
  }

  static MediaInfo bmp(Source s) {
    s.format = "bmp";
    long dib = s.u32le(14);
    if (dib == 12) {
      return checked(s, 18, s.u16le(18), s.u16le(20));
    }
    if (dib < 40) {
      throw s.error(14, "unknown header size " + dib);
    }
    long w = (int) s.u32le(18);
    long h = Math.abs((long) (int) s.u32le(22)); // negative: top-down rows
    return checked(s, 18, w, h);
  }
}
