package dev.kopeck.tokens.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Random access to the bytes of a medium, read only as far as a parser asks: a byte array, a file,
 * a stream (kept as it is read), or base64 text decoded on demand (the dimensions of a 20 MB data
 * URL cost what its first kilobytes cost). Reads go through a small window, so parsers can ask for
 * a byte at a time.
 */
abstract class Source {
  final String name;
  String format = "media";
  private final byte[] window;
  private long windowPos = -1;
  private int windowLen;

  Source(String name) {
    this(name, 8192);
  }

  Source(String name, int windowSize) {
    this.name = name;
    this.window = new byte[windowSize];
  }

  /** The size in bytes, or -1 when not known without reading everything. */
  abstract long size();

  /** Reads up to {@code len} bytes at {@code pos}; fewer only at the end. */
  abstract int readAt(long pos, byte[] b, int off, int len);

  /** The size, reading to the end if need be (streams). */
  long fullSize() {
    return size();
  }

  MediaException error(long offset, String problem) {
    return new MediaException(name, format, offset, problem);
  }

  /** A duration, refused when absurd (a corrupt header, not three years of audio). */
  java.math.BigDecimal seconds(long offset, java.math.BigDecimal seconds) {
    if (seconds.compareTo(MediaInfo.MAX_SECONDS) > 0) {
      throw error(offset, "absurd duration " + seconds.toPlainString() + " s");
    }
    return seconds;
  }

  MediaException truncated(long offset) {
    return error(offset, "truncated: the data ends before byte " + offset);
  }

  /** Fills the window with the aligned block holding {@code pos}, so scans either way refill rarely. */
  private void fill(long pos) {
    windowPos = pos - (pos % window.length);
    windowLen = readAt(windowPos, window, 0, window.length);
    if (pos >= windowPos + windowLen) {
      windowLen = 0;
    }
  }

  int u8(long pos) {
    if (pos < 0) {
      throw error(pos, "negative offset");
    }
    if (windowPos < 0 || pos < windowPos || pos >= windowPos + windowLen) {
      fill(pos);
      if (windowLen <= 0) {
        throw truncated(pos);
      }
    }
    return window[(int) (pos - windowPos)] & 0xFF;
  }

  /** Whether a byte exists at {@code pos}. */
  boolean has(long pos) {
    if (pos < 0) {
      return false;
    }
    long size = size();
    if (size >= 0) {
      return pos < size;
    }
    if (windowPos >= 0 && pos >= windowPos && pos < windowPos + windowLen) {
      return true;
    }
    byte[] one = new byte[1];
    return readAt(pos, one, 0, 1) == 1;
  }

  int u16be(long p) {
    return (u8(p) << 8) | u8(p + 1);
  }

  int u16le(long p) {
    return u8(p) | (u8(p + 1) << 8);
  }

  int u24le(long p) {
    return u8(p) | (u8(p + 1) << 8) | (u8(p + 2) << 16);
  }

  long u32be(long p) {
    return ((long) u16be(p) << 16) | u16be(p + 2);
  }

  long u32le(long p) {
    return u16le(p) | ((long) u16le(p + 2) << 16);
  }

  long u64be(long p) {
    long hi = u32be(p);
    long lo = u32be(p + 4);
    if (hi > 0x7FFFFFFFL) {
      throw error(p, "64-bit value out of range");
    }
    return (hi << 32) | lo;
  }

  int u24be(long p) {
    return (u8(p) << 16) | (u8(p + 1) << 8) | u8(p + 2);
  }

  /** Eight bytes big-endian as they are, for a double's bits. */
  long u64raw(long p) {
    return (u32be(p) << 32) | u32be(p + 4);
  }

  long u64le(long p) {
    long lo = u32le(p);
    long hi = u32le(p + 4);
    return (hi << 32) | lo;
  }

  /** {@code len} bytes at {@code pos}, all of them, or an error. */
  byte[] bytes(long pos, int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) u8(pos + i);
    }
    return b;
  }

  boolean startsWith(long pos, String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (!has(pos + i) || u8(pos + i) != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  String ascii(long pos, int len) {
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      sb.append((char) u8(pos + i));
    }
    return sb.toString();
  }

  // ---- implementations ----

  static Source of(String name, byte[] bytes) {
    return new Source(name) {
      @Override
      long size() {
        return bytes.length;
      }

      @Override
      int readAt(long pos, byte[] b, int off, int len) {
        if (pos >= bytes.length) {
          return 0;
        }
        int n = (int) Math.min(len, bytes.length - pos);
        System.arraycopy(bytes, (int) pos, b, off, n);
        return n;
      }
    };
  }

  static Source of(String name, FileChannel ch) throws IOException {
    long size = ch.size();
    return new Source(name) {
      @Override
      long size() {
        return size;
      }

      @Override
      int readAt(long pos, byte[] b, int off, int len) {
        if (pos >= size) {
          return 0;
        }
        try {
          ByteBuffer buf = ByteBuffer.wrap(b, off, (int) Math.min(len, size - pos));
          int total = 0;
          while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + total);
            if (n < 0) {
              break;
            }
            total += n;
          }
          return total;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  /** A stream, kept in memory as far as it has been read; reading past the end reads it all. */
  static Source of(String name, InputStream in) {
    return new Source(name) {
      byte[] kept = new byte[1 << 16];
      int n;
      boolean eof;

      private void readTo(long pos) {
        while (!eof && n <= pos) {
          if (n == kept.length) {
            if (kept.length >= (1 << 30)) {
              throw error(n, "stream larger than 1 GiB");
            }
            kept = Arrays.copyOf(kept, kept.length * 2);
          }
          try {
            int r = in.read(kept, n, kept.length - n);
            if (r < 0) {
              eof = true;
            } else {
              n += r;
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }

      @Override
      long size() {
        return eof ? n : -1;
      }

      @Override
      long fullSize() {
        readTo(Long.MAX_VALUE - 1);
        return n;
      }

      @Override
      int readAt(long pos, byte[] b, int off, int len) {
        readTo(pos + len - 1);
        if (pos >= n) {
          return 0;
        }
        int c = (int) Math.min(len, n - pos);
        System.arraycopy(kept, (int) pos, b, off, c);
        return c;
      }
    };
  }

  /**
   * Base64 text (standard or URL alphabet, with or without padding, no whitespace), decoded only
   * where read: byte {@code p} lives in the 4 characters at {@code p / 3 * 4}.
   */
  static Source base64(String name, CharSequence text, int start, int end) {
    int e = end;
    while (e > start && text.charAt(e - 1) == '=') {
      e--;
    }
    final int stop = e;
    long chars = stop - start;
    long size = chars / 4 * 3 + (chars % 4 == 0 ? 0 : chars % 4 - 1);
    if (chars % 4 == 1) {
      throw new MediaException(name, "base64", chars - 1, "invalid length: one character too many");
    }
    return new Source(name, 768) { // a small window: each byte costs a decode
      @Override
      long size() {
        return size;
      }

      @Override
      int readAt(long pos, byte[] b, int off, int len) {
        if (pos >= size) {
          return 0;
        }
        int n = (int) Math.min(len, size - pos);
        for (int i = 0; i < n; i++) {
          long p = pos + i;
          long group = p / 3;
          int k = (int) (p % 3);
          long c = start + group * 4;
          int v0 = val(c);
          int v1 = val(c + 1);
          int x;
          if (k == 0) {
            x = (v0 << 2) | (v1 >> 4);
          } else if (k == 1) {
            x = ((v1 & 0xF) << 4) | (val(c + 2) >> 2);
          } else {
            x = ((val(c + 2) & 0x3) << 6) | val(c + 3);
          }
          b[off + i] = (byte) x;
        }
        return n;
      }

      private int val(long at) {
        if (at >= stop) {
          return 0;
        }
        char ch = text.charAt((int) at);
        if (ch >= 'A' && ch <= 'Z') {
          return ch - 'A';
        }
        if (ch >= 'a' && ch <= 'z') {
          return ch - 'a' + 26;
        }
        if (ch >= '0' && ch <= '9') {
          return ch - '0' + 52;
        }
        if (ch == '+' || ch == '-') {
          return 62;
        }
        if (ch == '/' || ch == '_') {
          return 63;
        }
        throw new MediaException(name, "base64", -1, "not base64 at character " + (at - start) + ": '"
            + (Character.isWhitespace(ch) ? "whitespace" : String.valueOf(ch)) + "'");
      }
    };
  }
}
