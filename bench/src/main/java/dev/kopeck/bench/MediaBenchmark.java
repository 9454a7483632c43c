package dev.kopeck.bench;

import dev.kopeck.tokens.media.MediaInfo;
import dev.kopeck.tokens.media.MediaProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measuring media from headers: a PNG and a JPEG (with a 20 KB EXIF segment before its frame
 * header) from a {@code byte[]}; a WAV header; and a PNG inside a base64 data URL of 1 KB and of
 * 20 MB, which should cost about the same, since only the header is decoded; and the pages of a
 * 250-page PDF whose page tree is in object streams.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class MediaBenchmark {
  /** A PNG in a data URL of about {@code dataUrlBytes} characters. */
  @State(Scope.Benchmark)
  public static class DataUrl {
    @Param({"1024", "20971520"})
    public int dataUrlBytes;

    String url;

    @Setup
    public void setUp() throws IOException {
      byte[] big = png(4000, 3000, Math.max(0, dataUrlBytes * 3 / 4 - 100));
      url = "data:image/png;base64," + Base64.getEncoder().encodeToString(big);
    }
  }

  byte[] png;
  byte[] jpeg;
  byte[] wav;
  byte[] pdf250;
  byte[] text20mb;

  @Setup
  public void setUp() throws IOException {
    try (var in = MediaBenchmark.class.getResourceAsStream("pdf-objstm-250pages.pdf")) {
      pdf250 = in.readAllBytes(); // qpdf's, from tokens/src/test/media/make-pdf-samples.sh
    }
    png = png(1000, 500, 0);
    text20mb = BenchText.natural(20 << 20, 7).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    jpeg = jpegWithExif(384, 384, 20_000);
    wav = wav(16_000, 40_000);
  }

  /** A PNG signature and IHDR, then an ancillary chunk of {@code pad} bytes standing in for pixels. */
  static byte[] png(int w, int h, int pad) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    byte[] ihdr = {0, 0, (byte) (w >> 8), (byte) w, 0, 0, (byte) (h >> 8), (byte) h, 8, 2, 0, 0, 0};
    chunk(out, "IHDR", ihdr);
    if (pad > 0) {
      chunk(out, "zzZz", new byte[pad]);
    }
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
    out.write(new byte[] {(byte) (data.length >>> 24), (byte) (data.length >>> 16), (byte) (data.length >>> 8), (byte) data.length});
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.write(t);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    long c = crc.getValue();
    out.write(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
  }

  static byte[] jpegWithExif(int w, int h, int exif) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    out.write((exif + 2) >> 8);
    out.write((exif + 2) & 0xFF);
    out.writeBytes(new byte[exif]);
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 11, 8, (byte) (h >> 8), (byte) h, (byte) (w >> 8), (byte) w, 1, 1, 0x11, 0});
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD9});
    return out.toByteArray();
  }

  static byte[] wav(int rate, int samples) {
    int data = samples * 2;
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
        .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
        .put("data".getBytes()).putInt(data);
    return b.array();
  }

  /** A 250-page PDF whose page tree is in object streams: its structure read and its tree walked. */
  @Benchmark
  public MediaInfo pdf250PagesObjectStreams() {
    return MediaProbe.probe("b.pdf", pdf250);
  }

  /** A 20 MB text: no format claims it, so it is decoded, once; compare {@link #decodeText20MB}. */
  @Benchmark
  public MediaProbe.Content identifyText20MB() {
    return MediaProbe.identify("t.txt", text20mb);
  }

  /** The same text decoded and nothing else: what identifying it must not exceed by much. */
  @Benchmark
  public String decodeText20MB() {
    return dev.kopeck.base.Texts.decode("t.txt", text20mb);
  }

  @Benchmark
  public MediaInfo pngFromBytes() {
    return MediaProbe.probe("png", png);
  }

  @Benchmark
  public MediaInfo jpegWithExifFromBytes() {
    return MediaProbe.probe("jpeg", jpeg);
  }

  @Benchmark
  public MediaInfo wavFromBytes() {
    return MediaProbe.probe("wav", wav);
  }

  @Benchmark
  public MediaInfo pngFromDataUrl(DataUrl d) {
    return MediaProbe.probeDataUrl("url", d.url);
  }
}
