package dev.kopeck.tokens.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Page counts from the document's structure, against qpdf's count of the same real files
 * (pdf-pages.tsv, written by tokens/src/test/media/make-pdf-samples.sh): incremental updates,
 * orphaned and look-alike page trees, an attached PDF, an indirect /Count, a deep tree, object
 * streams, linearized files, RC4 and AES encryption with an empty user password, files that need
 * one, and damaged cross-references.
 */
class PdfPagesTest {
  static final Path DIR = MediaProbeTest.DIR;

  static Stream<Arguments> samples() throws IOException {
    return Files.readAllLines(DIR.resolve("pdf-pages.tsv")).stream().skip(1).map(l -> l.split("\t"))
        .map(f -> Arguments.of(f[0], f[1]));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("samples")
  void countsWhatQpdfCounts(String file, String qpdf) throws IOException {
    Path p = DIR.resolve(file);
    switch (qpdf) {
      case "password" -> assertThatThrownBy(() -> MediaProbe.probe(p)).isInstanceOf(MediaException.class)
          .hasMessageContaining("encrypted with a user password").hasMessageContaining("send the document unencrypted");
      case "unreadable" -> {
        // qpdf gives up; Kopeck finds the catalog among the objects and says its count is a guess
        MediaInfo m = MediaProbe.probe(p);
        assertThat(m.note()).isEqualTo(Pdf.GUESS);
      }
      default -> {
        MediaInfo m = MediaProbe.probe(p);
        assertThat(m.pages()).isEqualTo(Long.parseLong(qpdf));
        boolean damaged = file.contains("bad-") || file.contains("no-xref");
        assertThat(m.note()).isEqualTo(damaged ? Pdf.GUESS : null);
      }
    }
  }

  /** The cases of the outside audit, by name: each was counted from the largest /Count in the bytes before. */
  @Test
  void theAuditsCases() throws IOException {
    for (var c : List.of(List.of("pdf-update-3to1pages.pdf", 1L), List.of("pdf-orphan-count500-2pages.pdf", 2L),
        List.of("pdf-lookalikes-3pages.pdf", 3L), List.of("pdf-attachment-250-in-7pages.pdf", 7L),
        List.of("pdf-indirect-count-3pages.pdf", 3L), List.of("pdf-deep-tree-5pages.pdf", 5L),
        List.of("pdf-aes-256-3pages.pdf", 3L), List.of("pdf-rc4-40-3pages.pdf", 3L),
        List.of("pdf-objstm-250pages.pdf", 250L), List.of("pdf-no-xref-3pages.pdf", 3L))) {
      assertThat(MediaProbe.probe(DIR.resolve((String) c.get(0))).pages()).as((String) c.get(0)).isEqualTo(c.get(1));
    }
  }

  @Test
  void aPageTreeThatLoopsCountsEachPageOnce() {
    byte[] pdf = ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        + "2 0 obj\n<< /Type /Pages /Kids [3 0 R 2 0 R 3 0 R] /Count 99 >>\nendobj\n"
        + "3 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n").getBytes();
    MediaInfo m = MediaProbe.probe("loop.pdf", pdf);
    assertThat(m.pages()).isEqualTo(1);
    assertThat(m.note()).isEqualTo(Pdf.GUESS); // no cross-reference at all: rebuilt
  }

  @Test
  void aFileWithoutACatalogIsRefusedSayingWhy() {
    assertThatThrownBy(() -> MediaProbe.probe("x.pdf", "%PDF-1.7\n% nothing here\n".getBytes()))
        .isInstanceOf(MediaException.class).hasMessageContaining("pdf: no document catalog");
  }
}
