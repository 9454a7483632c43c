package dev.kopeck.cli;

import dev.kopeck.tariff.TariffCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --tariff FILE|FOLDER}, repeatable: the user's tables on top of the bundled ones. */
final class TariffOptions {
  @Option(names = "--tariff", paramLabel = "FILE|DIR",
      description = "A tariff table (or a folder of *.json tables) loaded on top of the bundled ones; repeatable.")
  List<Path> tariffs = new ArrayList<>();

  TariffCatalog catalog() {
    if (tariffs.isEmpty()) {
      return TariffCatalog.bundled();
    }
    TariffCatalog.Builder b = TariffCatalog.builder().addBundled();
    for (Path p : tariffs) {
      b.addPath(p);
    }
    return b.build();
  }
}
