package dev.kopeck.tariffs;

import dev.kopeck.tariff.TariffSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tables under {@code dev/kopeck/tariffs/tables/}, in the order of its {@code index} file
 * (one file name a line; {@code #} starts a comment). Adding a table is adding a file and a line.
 */
public final class BundledTariffs implements TariffSource {
  private static final String DIR = "tables/";

  @Override
  public Map<String, String> tables() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : read("index").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      out.put(name, read(name));
    }
    return out;
  }

  private static String read(String name) {
    try (InputStream in = BundledTariffs.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("bundled tariff table missing from the jar: " + DIR + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
