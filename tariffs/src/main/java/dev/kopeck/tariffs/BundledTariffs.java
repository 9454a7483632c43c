package dev.kopeck.tariffs;

import dev.kopeck.pricing.tariff.TariffSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tables under {@code dev/kopeck/tariffs/tables/}, in the order of its {@code index} file
 * (one file name a line; {@code #} starts a comment), and the catalog imported from genai-prices
 * at build time. Adding a table is adding a file and a line.
 */
public final class BundledTariffs implements TariffSource {
  @Override
  public Map<String, String> tables() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : read("tables/index").split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      out.put(name, read("tables/" + name));
    }
    return out;
  }

  /** The catalog imported from genai-prices at build time ({@code catalog/genai-prices.json}). */
  @Override
  public Map<String, String> catalogs() {
    return Map.of("genai-prices.json", read("catalog/genai-prices.json"));
  }

  private static String read(String name) {
    try (InputStream in = BundledTariffs.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("bundled tariff data missing from the jar: " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
