package dev.kopeck.tokens.media;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ISO base media files: HEIC/HEIF/AVIF images (the primary item's {@code ispe}), and MP4, MOV, M4A
 * (the duration in {@code mvhd}; video when a track's handler is {@code vide}). Only box headers
 * are read: every box must fit inside its parent, so a walk always moves forward and ends.
 */
final class IsoBmff {
  static final Set<String> IMAGE_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1",
      "avif", "avis", "avio", "mif2");
  private static final int MAX_BOXES = 100_000;
  private static final int MAX_DEPTH = 16;

  private IsoBmff() {}

  /** One box: where it starts, where its payload starts, where it ends, and its type. */
  record Box(long start, long payload, long end, String type) {}

  static final class Walker {
    final Source s;
    int visited;

    Walker(Source s) {
      this.s = s;
    }

    List<Box> children(long from, long end, int depth) {
      if (depth > MAX_DEPTH) {
        throw s.error(from, "boxes nested deeper than " + MAX_DEPTH);
      }
      List<Box> out = new ArrayList<>();
      long p = from;
      while (p + 8 <= end) {
        if (++visited > MAX_BOXES) {
          throw s.error(p, "more than " + MAX_BOXES + " boxes");
        }
        long size = s.u32be(p);
        String type = s.ascii(p + 4, 4);
        long header = 8;
        if (size == 1) {
          size = s.u64be(p + 8);
          header = 16;
        } else if (size == 0) {
          size = end - p;
        }
        if (size < header) {
          throw s.error(p, "box \"" + printable(type) + "\" has size " + size + ", less than its header");
        }
        if (p + size > end) {
          throw s.error(p, "box \"" + printable(type) + "\" of " + size + " bytes runs past the end of its parent at byte " + end);
        }
        out.add(new Box(p, p + header, p + size, type));
        p += size;
      }
      return out;
    }

    Box find(List<Box> boxes, String type) {
      for (Box b : boxes) {
        if (b.type.equals(type)) {
          return b;
        }
      }
      return null;
    }
  }

  static String printable(String t) {
    return t.replaceAll("[^ -~]", "?");
  }

  static boolean isImageBrand(Source s) {
    long size = s.u32be(0);
    if (IMAGE_BRANDS.contains(s.ascii(8, 4))) {
      return true;
    }
    for (long p = 16; p + 4 <= Math.min(size, 256); p += 4) {
      String brand = s.ascii(p, 4);
      if (brand.equals("avif") || brand.equals("heic") || brand.equals("mif1") && !s.ascii(8, 4).startsWith("mp4")) {
        return true;
      }
    }
    return false;
  }

  /** AV1 images: the brands avif and avis, major or compatible. */
  private static boolean isAvif(Source s) {
    long size = Math.min(s.u32be(0), 256);
    for (long p = 8; p + 4 <= size; p += p == 8 ? 8 : 4) {
      String brand = s.ascii(p, 4);
      if (brand.equals("avif") || brand.equals("avis")) {
        return true;
      }
    }
    return false;
  }

  static MediaInfo heif(Source s) {
    s.format = isAvif(s) ? "avif" : "heif";
    Walker w = new Walker(s);
    long end = s.fullSize();
    Box meta = w.find(w.children(0, end, 0), "meta");
    if (meta == null) {
      throw s.error(0, "no meta box");
    }
    List<Box> metaKids = w.children(meta.payload + 4, meta.end, 1); // meta is a full box
    Box iprp = w.find(metaKids, "iprp");
    Box ipco = iprp == null ? null : w.find(w.children(iprp.payload, iprp.end, 2), "ipco");
    if (ipco == null) {
      throw s.error(meta.start, "no item properties (iprp/ipco)");
    }
    List<Box> props = w.children(ipco.payload, ipco.end, 3);
    long primary = -1;
    Box pitm = w.find(metaKids, "pitm");
    if (pitm != null) {
      primary = s.u8(pitm.payload) == 0 ? s.u16be(pitm.payload + 4) : s.u32be(pitm.payload + 4);
    }
    Box ipma = w.find(w.children(iprp.payload, iprp.end, 2), "ipma");
    if (primary >= 0 && ipma != null) {
      int version = s.u8(ipma.payload);
      boolean wide = (s.u8(ipma.payload + 3) & 1) != 0;
      long count = s.u32be(ipma.payload + 4);
      long p = ipma.payload + 8;
      for (long i = 0; i < count && p < ipma.end; i++) {
        long item = version < 1 ? s.u16be(p) : s.u32be(p);
        p += version < 1 ? 2 : 4;
        int n = s.u8(p++);
        for (int k = 0; k < n; k++) {
          int index = wide ? s.u16be(p) & 0x7FFF : s.u8(p) & 0x7F;
          p += wide ? 2 : 1;
          if (item == primary && index >= 1 && index <= props.size() && props.get(index - 1).type.equals("ispe")) {
            Box ispe = props.get(index - 1);
            return Images.checked(s, ispe.payload + 4, s.u32be(ispe.payload + 4), s.u32be(ispe.payload + 8));
          }
        }
      }
    }
    // no association: the largest image extent (a grid's full size is larger than its tiles and thumbnails)
    Box best = null;
    long bestArea = -1;
    for (Box b : props) {
      if (b.type.equals("ispe")) {
        long area = s.u32be(b.payload + 4) * s.u32be(b.payload + 8);
        if (area > bestArea) {
          bestArea = area;
          best = b;
        }
      }
    }
    if (best == null) {
      throw s.error(ipco.start, "no image extent (ispe)");
    }
    return Images.checked(s, best.payload + 4, s.u32be(best.payload + 4), s.u32be(best.payload + 8));
  }

  /**
   * The length of a fragmented movie without {@code mehd}: each track's sample durations in its
   * fragments ({@code moof/traf/trun}, else the defaults of {@code tfhd} and {@code trex}) over its
   * time scale ({@code mdhd}); the longest track.
   */
  private static BigDecimal fragments(Walker w, List<Box> moovKids, List<Box> top) {
    Source s = w.s;
    java.util.Map<Long, long[]> tracks = new java.util.HashMap<>(); // id -> {timescale, default duration, total}
    for (Box trak : moovKids) {
      if (!trak.type.equals("trak")) {
        continue;
      }
      List<Box> tk = w.children(trak.payload, trak.end, 2);
      Box tkhd = w.find(tk, "tkhd");
      Box mdia = w.find(tk, "mdia");
      Box mdhd = mdia == null ? null : w.find(w.children(mdia.payload, mdia.end, 3), "mdhd");
      if (tkhd == null || mdhd == null) {
        continue;
      }
      long id = s.u8(tkhd.payload) == 1 ? s.u32be(tkhd.payload + 20) : s.u32be(tkhd.payload + 12);
      long scale = s.u8(mdhd.payload) == 1 ? s.u32be(mdhd.payload + 20) : s.u32be(mdhd.payload + 12);
      if (scale > 0) {
        tracks.put(id, new long[] {scale, 0, 0});
      }
    }
    Box mvex = w.find(moovKids, "mvex");
    if (mvex != null) {
      for (Box trex : w.children(mvex.payload, mvex.end, 2)) {
        long[] t = trex.type.equals("trex") ? tracks.get(s.u32be(trex.payload + 4)) : null;
        if (t != null) {
          t[1] = s.u32be(trex.payload + 12);
        }
      }
    }
    for (Box moof : top) {
      if (!moof.type.equals("moof")) {
        continue;
      }
      for (Box traf : w.children(moof.payload, moof.end, 1)) {
        if (!traf.type.equals("traf")) {
          continue;
        }
        List<Box> tf = w.children(traf.payload, traf.end, 2);
        Box tfhd = w.find(tf, "tfhd");
        long[] t = tfhd == null ? null : tracks.get(s.u32be(tfhd.payload + 4));
        if (t == null) {
          continue;
        }
        long flags = s.u32be(tfhd.payload) & 0xFFFFFF;
        long q = tfhd.payload + 8 + ((flags & 1) != 0 ? 8 : 0) + ((flags & 2) != 0 ? 4 : 0);
        long dflt = (flags & 8) != 0 ? s.u32be(q) : t[1];
        for (Box trun : tf) {
          if (!trun.type.equals("trun")) {
            continue;
          }
          long rf = s.u32be(trun.payload) & 0xFFFFFF;
          long count = s.u32be(trun.payload + 4);
          long r = trun.payload + 8 + ((rf & 1) != 0 ? 4 : 0) + ((rf & 4) != 0 ? 4 : 0);
          int each = Long.bitCount(rf & 0xF00) * 4;
          if ((rf & 0x100) == 0) {
            t[2] = Math.addExact(t[2], Math.multiplyExact(count, dflt));
            continue;
          }
          if (r + count * each > trun.end) {
            throw s.error(trun.start, "trun lists " + count + " samples, more than its box holds");
          }
          for (long k = 0; k < count; k++, r += each) {
            t[2] = Math.addExact(t[2], s.u32be(r));
          }
        }
      }
    }
    BigDecimal best = BigDecimal.ZERO;
    for (long[] t : tracks.values()) {
      BigDecimal sec = BigDecimal.valueOf(t[2]).divide(BigDecimal.valueOf(t[0]), 6, RoundingMode.HALF_UP);
      best = sec.compareTo(best) > 0 ? sec : best;
    }
    if (best.signum() == 0) {
      throw s.error(0, "a fragmented file whose fragments hold no samples of a known track");
    }
    return best;
  }

  /** MP4, MOV, M4A: duration from mvhd; video if any track's handler is "vide", with sound if one's is "soun". */
  static MediaInfo movie(Source s) {
    s.format = s.ascii(8, 4).startsWith("qt") ? "mov" : s.ascii(8, 4).startsWith("M4A") ? "m4a" : "mp4";
    Walker w = new Walker(s);
    long end = s.fullSize();
    List<Box> top = w.children(0, end, 0);
    Box moov = w.find(top, "moov");
    if (moov == null) {
      throw s.error(0, "no moov box");
    }
    List<Box> kids = w.children(moov.payload, moov.end, 1);
    Box mvhd = w.find(kids, "mvhd");
    if (mvhd == null) {
      throw s.error(moov.start, "no movie header (mvhd)");
    }
    int version = s.u8(mvhd.payload);
    long timescale;
    long duration;
    if (version == 1) {
      timescale = s.u32be(mvhd.payload + 20);
      duration = s.u64be(mvhd.payload + 24);
    } else {
      timescale = s.u32be(mvhd.payload + 12);
      duration = s.u32be(mvhd.payload + 16);
    }
    if (timescale == 0) {
      throw s.error(mvhd.payload, "time scale 0");
    }
    BigDecimal seconds = null;
    if (duration == 0 || duration == 0xFFFFFFFFL) {
      Box mvex = w.find(kids, "mvex");
      Box mehd = mvex == null ? null : w.find(w.children(mvex.payload, mvex.end, 2), "mehd");
      if (mehd != null) {
        duration = s.u8(mehd.payload) == 1 ? s.u64be(mehd.payload + 4) : s.u32be(mehd.payload + 4);
      } else { // a fragmented file that did not say its length: the fragments' samples added up
        seconds = s.seconds(mvhd.payload, fragments(w, kids, top));
      }
    }
    if (seconds == null) {
      seconds = s.seconds(mvhd.payload,
          BigDecimal.valueOf(duration).divide(BigDecimal.valueOf(timescale), 6, RoundingMode.HALF_UP));
    }
    boolean video = false;
    boolean sound = false;
    long width = 0;
    long height = 0;
    for (Box trak : kids) {
      if (!trak.type.equals("trak")) {
        continue;
      }
      List<Box> tk = w.children(trak.payload, trak.end, 2);
      Box mdia = w.find(tk, "mdia");
      Box hdlr = mdia == null ? null : w.find(w.children(mdia.payload, mdia.end, 3), "hdlr");
      if (hdlr != null && s.ascii(hdlr.payload + 8, 4).equals("soun")) {
        sound = true;
      }
      if (hdlr != null && s.ascii(hdlr.payload + 8, 4).equals("vide")) {
        video = true;
        Box tkhd = w.find(tk, "tkhd");
        if (tkhd != null && tkhd.end - 8 >= tkhd.payload) {
          width = s.u32be(tkhd.end - 8) >>> 16;
          height = s.u32be(tkhd.end - 4) >>> 16;
        }
      }
    }
    return video ? MediaInfo.video(s.format, seconds, width, height, sound) : MediaInfo.audio(s.format, seconds);
  }
}
