package dev.kopeck.tokens.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kopeck.base.Texts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Detection by structure and the containers, on real files (tokens/src/test/media/make-container-samples.sh,
 * which records in containers.tsv ffprobe's duration, or that a file is text, or a format Kopeck names
 * but does not read): MP3 with APEv2, Lyrics3v2 and ID3v1 tags and after 3,000 zero bytes, RF64, a
 * chained Ogg, fragmented MP4 and M4A; AVI, FLV, WMV, MPEG-TS and -PS with sound; TIFF, ICO and PGM
 * (named, not read); texts that
 * begin like a GIF, an MP3, an Ogg, a PDF, and UTF-16 text with its byte-order mark.
 */
class ContainersTest {
  static final Path DIR = MediaProbeTest.DIR;

  static Stream<Arguments> samples() throws IOException {
    return Files.readAllLines(DIR.resolve("containers.tsv")).stream().skip(1).map(l -> l.split("\t"))
        .map(f -> Arguments.of(f[0], f[1]));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("samples")
  void eachIsWhatItIs(String file, String expected) throws IOException {
    byte[] b = Files.readAllBytes(DIR.resolve(file));
    switch (expected) {
      case "text" -> {
        assertThat(MediaProbe.probeUnlessText(file, b)).isEmpty();
        assertThat(Texts.decode(file, b)).isNotEmpty();
      }
      case "unread" -> assertThatThrownBy(() -> MediaProbe.probeUnlessText(file, b))
          .isInstanceOf(MediaException.class).hasMessageContaining("are not read");
      default -> {
        Optional<MediaInfo> m = MediaProbe.probeUnlessText(file, b);
        assertThat(m).isPresent();
        // ffprobe adds a last frame's or packet's length to some containers' stamps: up to a frame (0.1 s) apart
        boolean stamped = file.matches("(avi|flv|wmv|ts|mpg)-.*");
        assertThat(m.get().seconds().doubleValue()).isCloseTo(Double.parseDouble(expected), within(stamped ? 0.1 : 0.05));
        if (stamped) {
          assertThat(m.get().modality()).isEqualTo(dev.kopeck.base.Modality.VIDEO);
          assertThat(m.get().withAudio()).isTrue();
        }
        assertThat(MediaProbe.probe(DIR.resolve(file))).isEqualTo(m.get()); // a file read as it goes agrees
      }
    }
  }

  /** An AVI stream header whose length and scale multiply past 64 bits is refused as out of range, not misread. */
  @org.junit.jupiter.api.Test
  void anAviWhoseFramesOverflowIsRefused() throws IOException {
    byte[] b = Files.readAllBytes(DIR.resolve("avi-3s.avi"));
    int strh = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("strh");
    for (int off : new int[] {8 + 20, 8 + 32}) { // dwScale, dwLength
      for (int k = 0; k < 4; k++) {
        b[strh + off + k] = (byte) 0xFF;
      }
    }
    assertThatThrownBy(() -> MediaProbe.probe("big.avi", b)).isInstanceOf(MediaException.class);
  }
}
