package dev.kopeck.pricing.tariff;

import dev.kopeck.base.internal.CloseNames;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The models and tariffs Kopeck knows: the bundled tables, and any of the user's on top.
 *
 * <p>Tables load in layers; a later layer wins. A model entry with the same provider and id as an
 * earlier one replaces it whole (with all its dated tariffs); a name (id or alias) that an earlier
 * layer gave to another model now means the later one. Lookups ignore case and a leading
 * {@code models/} (as Gemini's API names models).
 *
 * <p>Immutable and thread-safe once built.
 */
public final class TariffTables {
  private final List<PricedModel> models;
  private final Map<String, PricedModel> byName;

  private TariffTables(List<PricedModel> models, Map<String, PricedModel> byName) {
    this.models = List.copyOf(models);
    this.byName = Map.copyOf(byName);
  }

  /** The tables bundled with Kopeck (every {@link TariffSource} on the module or class path). */
  public static TariffTables bundled() {
    return Bundled.INSTANCE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every model entry, in load order, each once. */
  public List<PricedModel> models() {
    return models;
  }

  /** The model a name (id or alias) means, if any table gives it. */
  public Optional<PricedModel> find(String name) {
    return Optional.ofNullable(byName.get(key(name)));
  }

  /**
   * The model a name means.
   *
   * @throws UnknownModelException if no table knows the name; the message suggests close names
   */
  public PricedModel require(String name) {
    PricedModel m = byName.get(key(name));
    if (m == null) {
      throw new UnknownModelException(name, suggestions(name), models.isEmpty());
    }
    return m;
  }

  private List<String> suggestions(String name) {
    List<String> names = new ArrayList<>();
    for (PricedModel m : models) {
      names.addAll(TariffReader.allNames(m.info()));
    }
    // one name a model, the first close one
    List<String> out = new ArrayList<>();
    for (String n : CloseNames.among(key(name), names, Integer.MAX_VALUE)) {
      PricedModel m = byName.get(key(n));
      if (out.stream().noneMatch(o -> byName.get(key(o)) == m)) {
        out.add(n);
      }
    }
    return out.size() > 5 ? out.subList(0, 5) : out;
  }

  static String key(String name) {
    String k = name.trim().toLowerCase(Locale.ROOT);
    return k.startsWith("models/") ? k.substring("models/".length()) : k;
  }

  /** Builds a catalog from layers; each {@code add...} call is one layer over the ones before. */
  public static final class Builder {
    private final LinkedHashMap<String, PricedModel> entries = new LinkedHashMap<>();
    private final Map<String, PricedModel> byName = new java.util.HashMap<>();

    private Builder() {}

    /** The bundled tables. */
    public Builder addBundled() {
      for (PricedModel m : bundled().models) {
        put(m);
      }
      return this;
    }

    /** A table given as JSON text; {@code source} names it in errors. */
    public Builder addJson(String source, String json) {
      for (PricedModel m : TariffReader.read(source, json)) {
        put(m);
      }
      return this;
    }

    /**
     * A table file, or a folder: each {@code *.json} file in it (not its subfolders), in name order.
     *
     * @throws TariffException naming the file and JSON path of any problem
     */
    public Builder addPath(Path path) {
      if (Files.isDirectory(path)) {
        List<Path> files;
        try (Stream<Path> s = Files.list(path)) {
          files = s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
              .sorted().toList();
        } catch (IOException e) {
          throw new TariffException(path.toString(), null, "cannot list the folder: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
          throw new TariffException(path.toString(), null, "the folder holds no *.json tariff table");
        }
        for (Path f : files) {
          addFile(f);
        }
        return this;
      }
      return addFile(path);
    }

    private Builder addFile(Path file) {
      String text;
      try {
        byte[] bytes = Files.readAllBytes(file);
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw new TariffException(file.toString(), null, "not valid UTF-8");
      } catch (IOException e) {
        throw new TariffException(file.toString(), null, "cannot read: " + e.getMessage(), e);
      }
      return addJson(file.toString(), text);
    }

    /** One model entry, built in code. */
    public Builder add(PricedModel model) {
      put(model);
      return this;
    }

    private void put(PricedModel m) {
      String entryKey = m.provider() + "\u0000" + m.id();
      PricedModel old = entries.remove(entryKey);
      if (old != null) {
        byName.values().removeIf(v -> v == old);
      }
      entries.put(entryKey, m);
      for (String n : TariffReader.allNames(m.info())) {
        byName.put(key(n), m);
      }
    }

    public TariffTables build() {
      // an entry whose every name was taken by later layers is still listed in models()
      return new TariffTables(new ArrayList<>(entries.values()), byName);
    }
  }

  private static final class Bundled {
    static final TariffTables INSTANCE = load();

    private static TariffTables load() {
      Builder b = new Builder();
      List<TariffSource> sources = new ArrayList<>();
      ServiceLoader.load(TariffSource.class, TariffTables.class.getClassLoader()).forEach(sources::add);
      if (sources.isEmpty()) {
        ServiceLoader.load(TariffSource.class).forEach(sources::add);
      }
      sources.sort(java.util.Comparator.comparing(s -> s.getClass().getName()));
      for (TariffSource s : sources) {
        for (Map.Entry<String, String> t : s.tables().entrySet()) {
          b.addJson("bundled:" + t.getKey(), t.getValue());
        }
      }
      return b.build();
    }
  }
}
