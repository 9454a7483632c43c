package dev.kopeck.tokens.media;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Matroska and WebM: the segment's Info (duration × timecode scale) and Tracks (video or audio). */
final class Matroska {
  private static final long SEGMENT = 0x18538067L;
  private static final long INFO = 0x1549A966L;
  private static final long TRACKS = 0x1654AE6BL;
  private static final long CLUSTER = 0x1F43B675L;
  private static final long UNKNOWN = -1;

  private Matroska() {}

  /** Reads an element ID (marker bits kept) at p: {id, length}. */
  private static long[] id(Source s, long p) {
    int b = s.u8(p);
    int len = Integer.numberOfLeadingZeros(b) - 24 + 1;
    if (b == 0 || len > 4) {
      throw s.error(p, String.format("invalid element ID starting 0x%02X", b));
    }
    long v = b;
    for (int i = 1; i < len; i++) {
      v = (v << 8) | s.u8(p + i);
    }
    return new long[] {v, len};
  }

  /** Reads a size at p: {size or -1 for unknown, length}. */
  private static long[] size(Source s, long p) {
    int b = s.u8(p);
    int len = Integer.numberOfLeadingZeros(b) - 24 + 1;
    if (b == 0 || len > 8) {
      throw s.error(p, "invalid element size");
    }
    long v = b & (0xFF >> len);
    boolean allOnes = v == (0xFF >> len);
    for (int i = 1; i < len; i++) {
      int x = s.u8(p + i);
      allOnes &= x == 0xFF;
      v = (v << 8) | x;
    }
    return new long[] {allOnes ? UNKNOWN : v, len};
  }

  private static long uint(Source s, long p, long n) {
    if (n > 8) {
      throw s.error(p, "integer of " + n + " bytes");
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | s.u8(p + i);
    }
    return v;
  }

  static MediaInfo parse(Source s) {
    s.format = "matroska";
    long end = s.fullSize();
    long p = 0;
    long[] hid = id(s, p);
    long[] hsize = size(s, p + hid[1]);
    if (hsize[0] == UNKNOWN) {
      throw s.error(p, "EBML header of unknown size");
    }
    long hp = p + hid[1] + hsize[1];
    long hend = hp + hsize[0];
    for (long q = hp; q < hend; ) {
      long[] i = id(s, q);
      long[] z = size(s, q + i[1]);
      long data = q + i[1] + z[1];
      if (i[0] == 0x4282 && z[0] >= 0 && z[0] <= 16) {
        s.format = s.ascii(data, (int) z[0]).trim().equals("webm") ? "webm" : "matroska";
      }
      if (z[0] < 0) {
        throw s.error(q, "unknown size inside the EBML header");
      }
      q = data + z[0];
    }
    p = hend;
    long[] sid = id(s, p);
    if (sid[0] != SEGMENT) {
      throw s.error(p, "no Segment after the EBML header");
    }
    long[] ss = size(s, p + sid[1]);
    long segStart = p + sid[1] + ss[1];
    long segEnd = ss[0] == UNKNOWN ? end : Math.min(end, segStart + ss[0]);
    long scale = 1_000_000;
    BigDecimal duration = null;
    boolean video = false;
    boolean sound = false;
    boolean tracksSeen = false;
    long w = 0;
    long h = 0;
    int elements = 0;
    for (long q = segStart; q < segEnd && !(duration != null && tracksSeen); ) {
      if (++elements > 100_000) {
        throw s.error(q, "too many elements");
      }
      long[] i = id(s, q);
      long[] z = size(s, q + i[1]);
      long data = q + i[1] + z[1];
      if (i[0] == CLUSTER) {
        break; // the media data: Info and Tracks come before it
      }
      if (z[0] == UNKNOWN) {
        throw s.error(q, "element of unknown size before the first cluster");
      }
      long elEnd = data + z[0];
      if (elEnd > segEnd) {
        throw s.error(q, "element of " + z[0] + " bytes runs past the end");
      }
      if (i[0] == INFO) {
        for (long r = data; r < elEnd; ) {
          long[] ci = id(s, r);
          long[] cz = size(s, r + ci[1]);
          long cd = r + ci[1] + cz[1];
          if (cz[0] < 0 || cd + cz[0] > elEnd) {
            throw s.error(r, "Info child runs past its parent");
          }
          if (ci[0] == 0x2AD7B1) {
            scale = uint(s, cd, cz[0]);
          } else if (ci[0] == 0x4489) {
            double d = cz[0] == 4 ? Float.intBitsToFloat((int) s.u32be(cd))
                : cz[0] == 8 ? Double.longBitsToDouble((s.u32be(cd) << 32) | s.u32be(cd + 4)) : Double.NaN;
            if (!(d >= 0) || Double.isInfinite(d)) {
              throw s.error(cd, "duration is not a finite, non-negative number");
            }
            duration = new BigDecimal(d);
          }
          r = cd + cz[0];
        }
      } else if (i[0] == TRACKS) {
        tracksSeen = true;
        for (long r = data; r < elEnd; ) {
          long[] ci = id(s, r);
          long[] cz = size(s, r + ci[1]);
          long cd = r + ci[1] + cz[1];
          if (cz[0] < 0 || cd + cz[0] > elEnd) {
            throw s.error(r, "Tracks child runs past its parent");
          }
          if (ci[0] == 0xAE) { // TrackEntry
            for (long t = cd; t < cd + cz[0]; ) {
              long[] ti = id(s, t);
              long[] tz = size(s, t + ti[1]);
              long td = t + ti[1] + tz[1];
              if (tz[0] < 0 || td + tz[0] > cd + cz[0]) {
                throw s.error(t, "TrackEntry child runs past its parent");
              }
              if (ti[0] == 0x83 && uint(s, td, tz[0]) == 1) {
                video = true;
              } else if (ti[0] == 0x83 && uint(s, td, tz[0]) == 2) {
                sound = true;
              } else if (ti[0] == 0xE0) { // Video: PixelWidth B0, PixelHeight BA
                for (long v = td; v < td + tz[0]; ) {
                  long[] vi = id(s, v);
                  long[] vz = size(s, v + vi[1]);
                  long vd = v + vi[1] + vz[1];
                  if (vz[0] < 0 || vd + vz[0] > td + tz[0]) {
                    throw s.error(v, "Video child runs past its parent");
                  }
                  if (vi[0] == 0xB0) {
                    w = uint(s, vd, vz[0]);
                  } else if (vi[0] == 0xBA) {
                    h = uint(s, vd, vz[0]);
                  }
                  v = vd + vz[0];
                }
              }
              t = td + tz[0];
            }
          }
          r = cd + cz[0];
        }
      }
      q = elEnd;
    }
    if (duration == null) {
      throw s.error(segStart, "no duration in the segment's Info (a live stream?)");
    }
    BigDecimal seconds = s.seconds(segStart,
        duration.multiply(BigDecimal.valueOf(scale)).movePointLeft(9).setScale(6, RoundingMode.HALF_UP));
    return video ? MediaInfo.video(s.format, seconds, w, h, sound) : MediaInfo.audio(s.format, seconds);
  }
}
