package dev.kopeck.tokens.media;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/** Audio headers: WAV, MP3, AAC (ADTS), FLAC, Ogg Vorbis and Opus, AIFF. Duration only. */
final class Audio {
  private static final int SCALE = 6;

  private Audio() {}

  static BigDecimal seconds(long units, long perSecond) {
    return BigDecimal.valueOf(units).divide(BigDecimal.valueOf(perSecond), SCALE, RoundingMode.HALF_UP);
  }

  static MediaInfo wav(Source s) {
    s.format = "wav";
    long end = s.size() >= 0 ? s.size() : s.fullSize();
    long riffEnd = Math.min(end, 8 + s.u32le(4));
    long p = 12;
    long byteRate = -1;
    long sampleRate = -1;
    int formatTag = -1;
    long factSamples = -1;
    long ds64Data = -1; // RF64 and BW64: the sizes past 4 GiB are in the ds64 chunk
    for (int chunks = 0; chunks < 10_000 && p + 8 <= riffEnd; chunks++) {
      String id = s.ascii(p, 4);
      long size = s.u32le(p + 4);
      if (id.equals("fmt ")) {
        if (size < 16) {
          throw s.error(p + 4, "fmt chunk of " + size + " bytes is too short");
        }
        formatTag = s.u16le(p + 8);
        sampleRate = s.u32le(p + 12);
        byteRate = s.u32le(p + 16);
      } else if (id.equals("fact") && size >= 4) {
        factSamples = s.u32le(p + 8);
      } else if (id.equals("ds64") && size >= 24) {
        ds64Data = s.u64le(p + 16);
      } else if (id.equals("data")) {
        if (byteRate <= 0) {
          throw s.error(p, "data before a usable fmt chunk");
        }
        long data = size;
        if (size == 0xFFFFFFFFL && ds64Data >= 0) {
          data = size = ds64Data;
        }
        if (p + 8 + size > end) {
          if (size == 0xFFFFFFFFL || size == 0) {
            data = end - p - 8; // a streamed WAV that never wrote its size
          } else {
            throw s.error(p + 4, "data chunk of " + size + " bytes runs past the end at byte " + end);
          }
        }
        boolean pcm = formatTag == 1 || formatTag == 3 || formatTag == 0xFFFE;
        if (!pcm && factSamples >= 0 && sampleRate > 0) {
          return MediaInfo.audio("wav", s.seconds(p, seconds(factSamples, sampleRate)));
        }
        return MediaInfo.audio("wav", s.seconds(p, seconds(data, byteRate)));
      }
      if (p + 8 + size > riffEnd && !id.equals("data")) {
        throw s.error(p + 4, "chunk \"" + IsoBmff.printable(id) + "\" of " + size + " bytes runs past the end");
      }
      p += 8 + size + (size & 1);
    }
    throw s.error(p, "no data chunk");
  }

  // ---- MPEG audio ----

  private static final int[][] BITRATES = { // kbit/s by [version/layer row][index]
    {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, -1}, // V1 L1
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, -1}, // V1 L2
    {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1}, // V1 L3
    {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, -1}, // V2 L1
    {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1}, // V2 L2, L3
  };
  private static final int[][] RATES = {{11025, 12000, 8000}, {0, 0, 0}, {22050, 24000, 16000}, {44100, 48000, 32000}};

  /** An MPEG audio frame header at p: {sampleRate, samplesPerFrame, frameLength, version, channelMode} or null. */
  static int[] frame(Source s, long p) {
    if (!s.has(p + 3) || s.u8(p) != 0xFF || (s.u8(p + 1) & 0xE0) != 0xE0) {
      return null;
    }
    int b1 = s.u8(p + 1);
    int b2 = s.u8(p + 2);
    int version = (b1 >> 3) & 3; // 3: V1, 2: V2, 0: V2.5
    int layer = (b1 >> 1) & 3; // 3: L1, 2: L2, 1: L3
    int bi = (b2 >> 4) & 0xF;
    int ri = (b2 >> 2) & 3;
    if (version == 1 || layer == 0 || bi == 0 || bi == 15 || ri == 3) {
      return null;
    }
    int rate = RATES[version][ri];
    boolean v1 = version == 3;
    int row = v1 ? (layer == 3 ? 0 : layer == 2 ? 1 : 2) : (layer == 3 ? 3 : 4);
    int kbps = BITRATES[row][bi];
    int padding = (b2 >> 1) & 1;
    int samples = layer == 3 ? 384 : (layer == 1 && !v1) ? 576 : 1152;
    int length = layer == 3 ? (12 * kbps * 1000 / rate + padding) * 4 : samples / 8 * kbps * 1000 / rate + padding;
    int channelMode = (s.u8(p + 3) >> 6) & 3;
    return new int[] {rate, samples, length, version, channelMode};
  }

  static long skipId3(Source s) {
    long p = 0;
    while (s.startsWith(p, "ID3")) {
      long size = ((s.u8(p + 6) & 0x7F) << 21) | ((s.u8(p + 7) & 0x7F) << 14) | ((s.u8(p + 8) & 0x7F) << 7)
          | (s.u8(p + 9) & 0x7F);
      p += 10 + size + ((s.u8(p + 5) & 0x10) != 0 ? 10 : 0);
    }
    return p;
  }

  static MediaInfo mp3(Source s) {
    s.format = "mp3";
    long p = skipId3(s);
    long end = s.size() >= 0 ? s.size() : s.fullSize();
    // find the first frame (some files pad before it)
    int[] f = null;
    long limit = Math.min(end, p + 65536);
    while (p < limit && (f = frame(s, p)) == null) {
      p++;
    }
    if (f == null) {
      throw s.error(p, "no MPEG audio frame");
    }
    boolean v1 = f[3] == 3;
    boolean mono = f[4] == 3;
    long side = v1 ? (mono ? 17 : 32) : (mono ? 9 : 17);
    long x = p + 4 + side;
    if (s.startsWith(x, "Xing") || s.startsWith(x, "Info")) {
      long flags = s.u32be(x + 4);
      if ((flags & 1) != 0) {
        long frames = s.u32be(x + 8);
        return MediaInfo.audio("mp3", s.seconds(x, seconds(frames * f[1], f[0])));
      }
    }
    if (s.startsWith(p + 36, "VBRI")) {
      long frames = s.u32be(p + 36 + 14);
      return MediaInfo.audio("mp3", s.seconds(p + 36, seconds(frames * f[1], f[0])));
    }
    // no VBR header: walk the frames, reading their headers only, up to the tags at the end
    end = trailersStart(s, p, end);
    long frames = 0;
    long samples = 0;
    long q = p;
    while (q < end) {
      int[] g = frame(s, q);
      if (g == null) {
        if (frames > 0 && end - q < 4) {
          break; // a few stray bytes at the end
        }
        throw s.error(q, "not a frame header after " + frames + " frames");
      }
      if (g[2] <= 4) {
        throw s.error(q, "frame length " + g[2]);
      }
      frames++;
      samples += g[1];
      q += g[2];
      if (q > end) {
        if (frames == 1) { // text that begins like a frame header (a UTF-16 byte-order mark) is no MP3
          throw s.error(q - g[2], "the only frame runs past the end of the file");
        }
        break; // the last frame is cut short: count it
      }
      if (g[0] != f[0]) {
        throw s.error(q, "the sample rate changes");
      }
    }
    return MediaInfo.audio("mp3", s.seconds(p, seconds(samples, f[0])));
  }

  /**
   * Where the audio of an MP3 ends: before the tags players append (ID3v1 "TAG", APEv2 "APETAGEX",
   * Lyrics3v2 "LYRICS200"), in any order and number.
   */
  static long trailersStart(Source s, long from, long end) {
    for (int k = 0; k < 16; k++) {
      long before = end;
      if (end - 128 >= from && s.startsWith(end - 128, "TAG")) {
        end -= 128;
      }
      if (end - 32 >= from && s.startsWith(end - 32, "APETAGEX")) {
        long size = s.u32le(end - 32 + 12); // the items and this footer
        boolean header = (s.u32le(end - 32 + 20) & 0x80000000L) != 0;
        long start = end - size - (header ? 32 : 0);
        if (size >= 32 && start >= from) {
          end = start;
        }
      }
      if (end - 15 >= from && s.startsWith(end - 9, "LYRICS200")) {
        long size = 0;
        for (int i = 0; i < 6; i++) {
          int d = s.u8(end - 15 + i) - '0';
          size = d >= 0 && d <= 9 ? size * 10 + d : -1;
          if (size < 0) {
            break;
          }
        }
        if (size > 0 && end - 15 - size >= from && s.startsWith(end - 15 - size, "LYRICSBEGIN")) {
          end = end - 15 - size;
        }
      }
      if (end == before) {
        break;
      }
    }
    return end;
  }

  /** Raw AAC in ADTS frames of 1024 samples each. */
  static MediaInfo adts(Source s) {
    s.format = "aac";
    long p = skipId3(s);
    long end = s.size() >= 0 ? s.size() : s.fullSize();
    int[] rates = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
    int rate = -1;
    long frames = 0;
    while (p + 7 <= end) {
      if (s.u8(p) != 0xFF || (s.u8(p + 1) & 0xF6) != 0xF0) {
        if (end - p == 128 && s.startsWith(p, "TAG")) {
          break;
        }
        throw s.error(p, "not an ADTS frame header after " + frames + " frames");
      }
      int ri = (s.u8(p + 2) >> 2) & 0xF;
      if (ri >= rates.length) {
        throw s.error(p + 2, "sampling frequency index " + ri);
      }
      if (rate < 0) {
        rate = rates[ri];
      }
      int len = ((s.u8(p + 3) & 3) << 11) | (s.u8(p + 4) << 3) | (s.u8(p + 5) >> 5);
      if (len < 7) {
        throw s.error(p + 3, "frame length " + len);
      }
      int blocks = (s.u8(p + 6) & 3) + 1;
      frames += blocks;
      p += len;
    }
    if (rate < 0) {
      throw s.error(p, "no ADTS frame");
    }
    return MediaInfo.audio("aac", s.seconds(0, seconds(frames * 1024, rate)));
  }

  static MediaInfo flac(Source s) {
    s.format = "flac";
    int type = s.u8(4) & 0x7F;
    if (type != 0) {
      throw s.error(4, "the first metadata block is not STREAMINFO");
    }
    long p = 8;
    long rate = (s.u16be(p + 10) << 4) | (s.u8(p + 12) >> 4);
    long total = ((long) (s.u8(p + 13) & 0x0F) << 32) | s.u32be(p + 14);
    if (rate == 0) {
      throw s.error(p + 10, "sample rate 0");
    }
    if (total == 0) {
      throw s.error(p + 13, "the total number of samples is unknown (0)");
    }
    return MediaInfo.audio("flac", s.seconds(p + 13, seconds(total, rate)));
  }

  /**
   * Ogg Vorbis or Opus: the pages walked by their headers, each logical stream's last granule
   * position over its rate; a chained file (links one after another, each starting with its own
   * first pages) is the sum of its links, a link the longest of its audio streams.
   */
  static MediaInfo ogg(Source s) {
    s.format = "ogg";
    long end = s.fullSize();
    java.util.Map<Long, long[]> streams = new java.util.HashMap<>(); // serial -> {rate, preskip, last granule}
    java.util.List<Long> link = new java.util.ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    String codec = null;
    boolean inLink = false;
    long p = 0;
    for (int pages = 0; p + 27 <= end && pages < 10_000_000; pages++) {
      if (!s.startsWith(p, "OggS")) {
        if (pages == 0) {
          throw s.error(p, "no Ogg page");
        }
        break; // junk after the last page
      }
      int type = s.u8(p + 5);
      long granule = s.u64le(p + 6);
      long serial = s.u32le(p + 14);
      int segs = s.u8(p + 26);
      if (p + 27 + segs > end) {
        break; // a page cut short at the end
      }
      long body = 0;
      for (int k = 0; k < segs; k++) {
        body += s.u8(p + 27 + k);
      }
      long packet = p + 27 + segs;
      if ((type & 2) != 0) { // the first page of a logical stream
        if (inLink) { // a new link: the one before is complete
          total = total.add(linkSeconds(link, streams));
          link.clear();
          inLink = false;
        }
        if (s.startsWith(packet, "\u0001vorbis")) {
          long rate = s.u32le(packet + 12);
          if (rate == 0) {
            throw s.error(packet + 12, "sample rate 0");
          }
          streams.put(serial, new long[] {rate, 0, 0});
          codec = codec == null ? "ogg-vorbis" : codec;
          link.add(serial);
        } else if (s.startsWith(packet, "OpusHead")) {
          streams.put(serial, new long[] {48_000, s.u16le(packet + 10), 0}); // Opus granules count 48 kHz
          codec = codec == null ? "ogg-opus" : codec;
          link.add(serial);
        }
      } else {
        inLink = true;
      }
      long[] st = streams.get(serial);
      if (st != null && granule >= 0) { // -1: no packet ends on this page
        st[2] = granule;
      }
      p = packet + body;
    }
    if (codec == null) {
      throw s.error(0, "neither Vorbis nor Opus");
    }
    s.format = codec;
    total = total.add(linkSeconds(link, streams));
    return MediaInfo.audio(codec, s.seconds(0, total.setScale(6, RoundingMode.HALF_UP)));
  }

  /** The longest audio stream of a link. */
  private static BigDecimal linkSeconds(java.util.List<Long> link, java.util.Map<Long, long[]> streams) {
    BigDecimal best = BigDecimal.ZERO;
    for (long serial : link) {
      long[] st = streams.get(serial);
      BigDecimal sec = seconds(Math.max(0, st[2] - st[1]), st[0]);
      best = sec.compareTo(best) > 0 ? sec : best;
    }
    return best;
  }

  static MediaInfo aiff(Source s) {
    s.format = "aiff";
    long end = Math.min(s.fullSize(), 8 + s.u32be(4));
    long p = 12;
    for (int chunks = 0; chunks < 10_000 && p + 8 <= end; chunks++) {
      String id = s.ascii(p, 4);
      long size = s.u32be(p + 4);
      if (p + 8 + size > end) {
        throw s.error(p + 4, "chunk \"" + IsoBmff.printable(id) + "\" of " + size + " bytes runs past the end");
      }
      if (id.equals("COMM")) {
        long frames = s.u32be(p + 10);
        BigDecimal rate = extended(s, p + 16);
        if (rate.signum() <= 0) {
          throw s.error(p + 16, "sample rate " + rate);
        }
        return MediaInfo.audio("aiff", s.seconds(p + 10, BigDecimal.valueOf(frames).divide(rate, SCALE, RoundingMode.HALF_UP)));
      }
      p += 8 + size + (size & 1);
    }
    throw s.error(p, "no COMM chunk");
  }

  /** An 80-bit IEEE extended float, exactly. */
  static BigDecimal extended(Source s, long p) {
    int se = s.u16be(p);
    int exp = (se & 0x7FFF) - 16383 - 63;
    BigInteger mant = new BigInteger(1, s.bytes(p + 2, 8));
    if ((se & 0x7FFF) == 0x7FFF) {
      throw s.error(p, "infinite sample rate");
    }
    BigDecimal m = new BigDecimal(mant);
    BigDecimal v = exp >= 0 ? m.multiply(new BigDecimal(BigInteger.TWO.pow(Math.min(exp, 4096))))
        : m.divide(new BigDecimal(BigInteger.TWO.pow(Math.min(-exp, 4096))), MathContext.DECIMAL64);
    return (se & 0x8000) != 0 ? v.negate() : v;
  }
}
