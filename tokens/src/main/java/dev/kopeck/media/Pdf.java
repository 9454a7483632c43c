package dev.kopeck.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * PDF page count: the {@code /Count} of the page tree's root, the largest {@code /Type /Pages}
 * dictionary, found in the file and in its compressed object streams. A PDF keeps its page tree
 * anywhere in the file, so unlike the other formats this reads the whole file (never the page
 * contents, which are not decoded); at most {@link #MAX_BYTES}.
 */
final class Pdf {
  static final long MAX_BYTES = 256L << 20;
  private static final Pattern PAGES = Pattern.compile("/Type\\s*/Pages\\b");
  private static final Pattern COUNT = Pattern.compile("/Count\\s+(\\d{1,9})\\b");
  private static final Pattern OBJSTM = Pattern.compile("/Type\\s*/ObjStm\\b");
  private static final Pattern LENGTH = Pattern.compile("/Length\\s+(\\d{1,10})(\\s+\\d+\\s+R)?");

  private Pdf() {}

  static MediaInfo pages(Source s) {
    s.format = "pdf";
    long size = s.fullSize();
    if (size > MAX_BYTES) {
      throw s.error(MAX_BYTES, "larger than " + (MAX_BYTES >> 20) + " MB");
    }
    byte[] all = s.bytes(0, (int) size);
    String text = new String(all, StandardCharsets.ISO_8859_1);
    long best = Math.max(count(text), -1);
    if (best < 0) {
      Matcher m = OBJSTM.matcher(text);
      int streams = 0;
      while (m.find() && streams++ < 10_000) {
        int dictEnd = text.indexOf(">>", m.end());
        int dictStart = text.lastIndexOf("<<", m.start());
        int kw = text.indexOf("stream", dictEnd);
        if (dictEnd < 0 || dictStart < 0 || kw < 0) {
          continue;
        }
        Matcher lm = LENGTH.matcher(text.substring(dictStart, dictEnd));
        int dataStart = kw + 6;
        if (dataStart < text.length() && text.charAt(dataStart) == '\r') {
          dataStart++;
        }
        if (dataStart < text.length() && text.charAt(dataStart) == '\n') {
          dataStart++;
        }
        int dataEnd = text.indexOf("endstream", dataStart);
        if (lm.find() && lm.group(2) == null) {
          long len = Long.parseLong(lm.group(1));
          if (dataStart + len <= all.length) {
            dataEnd = (int) (dataStart + len);
          }
        }
        if (dataEnd < 0) {
          throw s.error(dataStart, "object stream without endstream");
        }
        String inflated = inflate(s, all, dataStart, dataEnd);
        best = Math.max(best, count(inflated));
      }
    }
    if (best < 0) {
      throw s.error(0, "no page tree (/Type /Pages with a /Count)");
    }
    if (best > MediaInfo.MAX_PAGES) {
      throw s.error(0, "absurd page count " + best);
    }
    return MediaInfo.document("pdf", best);
  }

  /** The largest /Count of a /Type /Pages dictionary in {@code text}, or -1. */
  private static long count(String text) {
    long best = -1;
    Matcher m = PAGES.matcher(text);
    while (m.find()) {
      int start = text.lastIndexOf("<<", m.start());
      int end = text.indexOf(">>", m.end());
      // the dictionary may nest; look for /Count between the nearest << and a generous end
      int from = start < 0 ? m.start() : start;
      int to = end < 0 ? Math.min(text.length(), m.end() + 512) : Math.min(text.length(), end + 512);
      Matcher c = COUNT.matcher(text.substring(from, to));
      if (c.find()) {
        best = Math.max(best, Long.parseLong(c.group(1)));
      }
    }
    return best;
  }

  private static String inflate(Source s, byte[] all, int from, int to) {
    Inflater inf = new Inflater();
    inf.setInput(all, from, to - from);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      while (!inf.finished()) {
        int n = inf.inflate(buf);
        if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_BYTES) {
          throw s.error(from, "object stream inflates past " + (MAX_BYTES >> 20) + " MB");
        }
      }
    } catch (DataFormatException e) {
      throw s.error(from, "object stream is not valid Flate data: " + e.getMessage());
    } finally {
      inf.end();
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
