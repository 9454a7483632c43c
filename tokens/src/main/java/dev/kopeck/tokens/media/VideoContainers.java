package dev.kopeck.tokens.media;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The other video containers Gemini takes: AVI (the video stream's header), FLV (its
 * {@code onMetaData}, else its last tag's time), ASF/WMV (the file properties' play duration less
 * the preroll), and MPEG transport and program streams (the first and the last presentation time
 * stamps). Headers only, and for MPEG a window at each end of the file.
 */
final class VideoContainers {
  private static final int SCALE = 6;
  /** How far into each end of an MPEG stream time stamps are looked for. */
  private static final long MPEG_WINDOW = 4L << 20;

  private VideoContainers() {}

  // ---- AVI ----

  static MediaInfo avi(Source s) {
    s.format = "avi";
    long end = Math.min(s.fullSize(), 8 + s.u32le(4));
    long[] found = new long[6]; // usPerFrame, totalFrames, width, height, video seconds (micro), audio
    long videoMicros = -1;
    long p = 12;
    for (int chunks = 0; chunks < 10_000 && p + 8 <= end; chunks++) {
      String id = s.ascii(p, 4);
      long size = s.u32le(p + 4);
      if (id.equals("LIST") && s.startsWith(p + 8, "hdrl")) {
        long q = p + 12;
        long listEnd = Math.min(end, p + 8 + size);
        for (int k = 0; k < 1000 && q + 8 <= listEnd; k++) {
          String cid = s.ascii(q, 4);
          long csize = s.u32le(q + 4);
          if (cid.equals("avih") && csize >= 40) {
            found[0] = s.u32le(q + 8);
            found[1] = s.u32le(q + 8 + 16);
            found[2] = s.u32le(q + 8 + 32);
            found[3] = s.u32le(q + 8 + 36);
          } else if (cid.equals("LIST") && s.startsWith(q + 8, "strl")) {
            long h = q + 12;
            if (s.startsWith(h, "strh") && s.u32le(h + 4) >= 36) {
              long d = h + 8;
              String type = s.ascii(d, 4);
              long scale = s.u32le(d + 20);
              long rate = s.u32le(d + 24);
              long length = s.u32le(d + 32);
              if (type.equals("vids") && rate > 0 && videoMicros < 0) {
                videoMicros = Math.multiplyExact(Math.multiplyExact(length, scale), 1_000_000L) / rate;
              } else if (type.equals("auds")) {
                found[5] = 1;
              }
            }
          } else if (cid.equals("LIST") && s.startsWith(q + 8, "odml") && s.startsWith(q + 12, "dmlh")) {
            found[1] = s.u32le(q + 20); // OpenDML: the frames of every RIFF of the file
          }
          q += 8 + csize + (csize & 1);
        }
        break;
      }
      p += 8 + size + (size & 1);
    }
    BigDecimal seconds;
    if (videoMicros >= 0) {
      seconds = BigDecimal.valueOf(videoMicros).movePointLeft(6);
    } else if (found[0] > 0 && found[1] > 0) {
      seconds = BigDecimal.valueOf(found[0]).multiply(BigDecimal.valueOf(found[1])).movePointLeft(6);
    } else {
      throw s.error(12, "no AVI main header (hdrl/avih) with a frame count");
    }
    return MediaInfo.video("avi", s.seconds(12, seconds.setScale(SCALE, RoundingMode.HALF_UP)), found[2], found[3],
        found[5] == 1);
  }

  // ---- FLV ----

  static MediaInfo flv(Source s) {
    s.format = "flv";
    boolean audio = (s.u8(4) & 4) != 0;
    long p = s.u32be(5) + 4; // the header, then the size of no tag before the first
    long width = 0;
    long height = 0;
    BigDecimal seconds = null;
    if (s.has(p + 11) && s.u8(p) == 18) { // script data: onMetaData
      long size = s.u24be(p + 1);
      long q = p + 11;
      long tagEnd = q + size;
      if (s.u8(q) == 2 && s.u16be(q + 1) == 10 && s.startsWith(q + 3, "onMetaData")) {
        q += 13;
        int type = s.u8(q);
        long count = type == 8 ? s.u32be(q + 1) : 1_000;
        q += type == 8 ? 5 : 1;
        for (long i = 0; i < count && q + 3 < tagEnd; i++) {
          int klen = s.u16be(q);
          if (klen == 0 && s.u8(q + 2) == 9) {
            break; // the object's end marker
          }
          String key = s.ascii(q + 2, klen);
          q += 2 + klen;
          int vt = s.u8(q);
          if (vt != 0) {
            break; // only numbers are read; anything else ends the walk
          }
          double v = Double.longBitsToDouble(s.u64raw(q + 1));
          q += 9;
          switch (key) {
            case "duration" -> seconds = v > 0 && v < 1e8 ? BigDecimal.valueOf(v) : null;
            case "width" -> width = v >= 1 && v <= 1e6 ? (long) v : 0;
            case "height" -> height = v >= 1 && v <= 1e6 ? (long) v : 0;
            default -> { }
          }
        }
      }
    }
    if (seconds == null) { // no metadata duration: the time of the last tag, from the tail
      long end = s.fullSize();
      long last = s.u32be(end - 4);
      long tag = end - 4 - last;
      if (last < 11 || tag < 9) {
        throw s.error(end - 4, "no duration: no onMetaData and no last tag size");
      }
      long ts = s.u24be(tag + 4) | ((long) s.u8(tag + 7) << 24);
      seconds = BigDecimal.valueOf(ts).movePointLeft(3);
    }
    return MediaInfo.video("flv", s.seconds(p, seconds.setScale(SCALE, RoundingMode.HALF_UP)), width, height, audio);
  }

  // ---- ASF (WMV, WMA) ----

  private static final String FILE_PROPERTIES = "a1dcab8c47a9cf118ee400c00c205365";
  private static final String STREAM_PROPERTIES = "9107dcb7b7a9cf118ee600c00c205365";
  private static final String AUDIO_MEDIA = "409e69f84d5bcf11a8fd00805f5c442b";
  private static final String VIDEO_MEDIA = "c0ef19bc4d5bcf11a8fd00805f5c442b";

  static MediaInfo asf(Source s) {
    s.format = "asf";
    long headerSize = s.u64le(16);
    long objects = s.u32le(24);
    long end = Math.min(s.fullSize(), headerSize);
    long p = 30;
    BigDecimal seconds = null;
    boolean video = false;
    boolean audio = false;
    long width = 0;
    long height = 0;
    for (long i = 0; i < objects && i < 10_000 && p + 24 <= end; i++) {
      String guid = hex(s, p, 16);
      long size = s.u64le(p + 16);
      if (size < 24 || p + size > end) {
        throw s.error(p + 16, "header object of " + size + " bytes runs past the header");
      }
      long d = p + 24;
      if (guid.equals(FILE_PROPERTIES)) {
        long play = s.u64le(d + 40); // 100 ns
        long preroll = s.u64le(d + 56); // ms
        if (play < 0 || preroll < 0) {
          throw s.error(d + 40, "play duration out of range");
        }
        seconds = BigDecimal.valueOf(play).movePointLeft(7).subtract(BigDecimal.valueOf(preroll).movePointLeft(3))
            .max(BigDecimal.ZERO);
      } else if (guid.equals(STREAM_PROPERTIES)) {
        String type = hex(s, d, 16);
        if (type.equals(AUDIO_MEDIA)) {
          audio = true;
        } else if (type.equals(VIDEO_MEDIA)) {
          video = true;
          width = s.u32le(d + 54);
          height = s.u32le(d + 58);
        }
      }
      p += size;
    }
    if (seconds == null) {
      throw s.error(30, "no file properties object");
    }
    BigDecimal sec = s.seconds(30, seconds.setScale(SCALE, RoundingMode.HALF_UP));
    s.format = video ? "wmv" : "wma";
    return video ? MediaInfo.video("wmv", sec, width, height, audio) : MediaInfo.audio("wma", sec);
  }

  private static String hex(Source s, long p, int n) {
    StringBuilder b = new StringBuilder(2 * n);
    for (int i = 0; i < n; i++) {
      b.append(Character.forDigit(s.u8(p + i) >> 4, 16)).append(Character.forDigit(s.u8(p + i) & 15, 16));
    }
    return b.toString();
  }

  // ---- MPEG transport and program streams ----

  /** MPEG-TS (188-byte packets) or -PS (packs): the last presentation time less the first, of any stream. */
  static MediaInfo mpeg(Source s, boolean transport) {
    s.format = transport ? "mpeg-ts" : "mpeg-ps";
    long end = s.fullSize();
    long[] head = pts(s, 0, Math.min(end, MPEG_WINDOW), transport, true);
    long from = Math.max(0, end - MPEG_WINDOW);
    if (transport) {
      from -= from % 188;
    }
    long[] tail = pts(s, from, end, transport, false);
    if (head[0] < 0 || tail[0] < 0) {
      throw s.error(0, "no presentation time stamps");
    }
    long ticks = tail[0] - head[0];
    if (ticks < 0) {
      ticks += 1L << 33; // the 33-bit clock wrapped
    }
    BigDecimal seconds = BigDecimal.valueOf(ticks).divide(BigDecimal.valueOf(90_000), SCALE, RoundingMode.HALF_UP);
    return MediaInfo.video(s.format, s.seconds(0, seconds), 0, 0, head[1] == 1 || tail[1] == 1);
  }

  /** The first (or last) PTS of a video or audio PES in {@code [from, to)}; and 1 if an audio PES was seen. */
  private static long[] pts(Source s, long from, long to, boolean transport, boolean first) {
    long[] seen = {-1, 0};
    if (transport) {
      for (long p = from; p + 188 <= to; p += 188) {
        if (s.u8(p) != 0x47) {
          continue;
        }
        boolean start = (s.u8(p + 1) & 0x40) != 0;
        int afc = (s.u8(p + 3) >> 4) & 3;
        long q = p + 4;
        if (afc == 2 || afc == 3) {
          q += 1 + s.u8(q);
        }
        if (start && afc != 2 && q + 14 <= p + 188 && see(seen, pes(s, q), first)) {
          return seen;
        }
      }
    } else {
      for (long p = from; p + 14 <= to; p++) {
        if (s.u8(p) == 0 && s.u8(p + 1) == 0 && s.u8(p + 2) == 1 && see(seen, pes(s, p), first)) {
          return seen;
        }
      }
    }
    return seen;
  }

  /** Notes a PES's stamp in {@code seen} ({pts, audio}); true when the first one is all that was wanted. */
  private static boolean see(long[] seen, long[] pes, boolean first) {
    if (pes == null) {
      return false;
    }
    seen[0] = pes[0];
    seen[1] |= pes[1];
    return first;
  }

  /** A PES header at {@code p} of a video (E0-EF) or audio (C0-DF) stream with a PTS: {pts, audio?}; else null. */
  private static long[] pes(Source s, long p) {
    if (s.u8(p) != 0 || s.u8(p + 1) != 0 || s.u8(p + 2) != 1) {
      return null;
    }
    int id = s.u8(p + 3);
    boolean video = id >= 0xE0 && id <= 0xEF;
    boolean audio = id >= 0xC0 && id <= 0xDF || id == 0xBD;
    if (!video && !audio || (s.u8(p + 6) & 0xC0) != 0x80 || (s.u8(p + 7) & 0x80) == 0) {
      return null;
    }
    long b = p + 9;
    long pts = ((long) (s.u8(b) >> 1) & 7) << 30 | (long) s.u8(b + 1) << 22 | (long) (s.u8(b + 2) >> 1) << 15
        | (long) s.u8(b + 3) << 7 | s.u8(b + 4) >> 1;
    return new long[] {pts, audio ? 1 : 0};
  }
}
