package dev.kopeck.tokens.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real images (made by the tools media/README names) cut short: once their header is read, the end
 * markers say they are not whole (issue 19 #13: a PNG cut after its header was given its size).
 */
class TruncatedImagesTest {
  @ParameterizedTest
  @ValueSource(strings = {"png-1000x500.png", "gif-200x100.gif", "jpeg-384x384.jpg", "jpeg-exif-384x384.jpg",
      "jpeg-progressive-3000x2000.jpg", "webp-lossy-800x600.webp", "webp-lossless-300x200.webp",
      "webp-alpha-1024x768.webp"})
  void aCutImageIsRefusedWithTheOffsetAndAWholeOneIsRead(String name) throws Exception {
    byte[] whole = Files.readAllBytes(Path.of("src/test/resources/media", name));
    assertThat(MediaProbe.probe(name, whole).width()).isPositive();
    // cut in the middle of the data (or, for the EXIF JPEG, inside its 20 KB header, which the
    // segment walk already reports at the offset it needed)
    int cut = Math.max(Math.min(whole.length / 2, whole.length - 70_000), 600);
    byte[] part = Arrays.copyOf(whole, Math.min(cut, whole.length - 1));
    assertThatThrownBy(() -> MediaProbe.probe(name, part)).isInstanceOf(MediaException.class)
        .hasMessageMatching(name + ": byte [0-9]+: [a-z]+: truncated: .*");
  }
}
