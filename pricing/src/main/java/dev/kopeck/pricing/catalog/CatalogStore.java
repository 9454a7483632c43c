package dev.kopeck.pricing.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kopeck.base.InputException;
import dev.kopeck.pricing.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Current prices without a release: the catalog data genai-prices publishes, fetched (or read from
 * a file) when the user asks, checked, and kept in a folder ({@code ~/.cache/kopeck/catalog/} by
 * default) with its source, the time it was taken and its SHA-256. {@link #inForce()} is the newest
 * valid data: the kept file, unless the bundled snapshot is newer or the kept file is damaged.
 * Nothing is fetched unless {@link #update(String)} is called.
 *
 * <p>An update is refused, and the data in force stays, when the new data cannot be fetched or read,
 * is not the published format, has a price that does not parse, a model no name finds or a set of
 * prices that cannot price, or is older than the data in force: its newest price date (the latest
 * date a price applies from) is before theirs. The file kept before the last update stays beside
 * the current one, and is used when the current one is damaged.
 */
public final class CatalogStore {
  /** The data file genai-prices publishes, and that its own packages fetch to update their prices. */
  public static final String PUBLISHED = "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json";

  private static final String CURRENT = "genai-prices";
  private static final String PREVIOUS = "genai-prices.previous";
  private static final long MAX_BYTES = 64L << 20;

  /**
   * What a catalog is and where it came from.
   *
   * @param source the URL or file it was taken from, or the bundled package ({@code @pydantic/genai-prices@0.1.8})
   * @param pricesAsOf the latest date a price of it applies from, or null when none is dated
   * @param taken when it was fetched or read, or null for the bundled snapshot
   * @param sha256 of the kept file, or null for the bundled snapshot
   * @param file the kept file, or null for the bundled snapshot
   */
  public record Info(String source, LocalDate pricesAsOf, Instant taken, String sha256, int providers, int models,
      Path file) {
    public boolean bundled() {
      return file == null;
    }
  }

  private final Path dir;
  private final Supplier<Catalog> bundled;
  private final Clock clock;
  private final Duration timeout;

  private CatalogStore(Path dir, Supplier<Catalog> bundled, Clock clock, Duration timeout) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.bundled = bundled;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** The store in {@code $KOPECK_CACHE/catalog}, else {@code ~/.cache/kopeck/catalog}. */
  public static CatalogStore standard() {
    String cache = System.getenv("KOPECK_CACHE");
    Path base = cache != null && !cache.isBlank() ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache", "kopeck");
    return at(base.resolve("catalog"));
  }

  /** A store in {@code dir}, over the bundled snapshot. */
  public static CatalogStore at(Path dir) {
    return new CatalogStore(dir, Catalog::bundled, Clock.systemUTC(), Duration.ofSeconds(30));
  }

  /** A store in {@code dir} over another snapshot, a clock for the time an update is taken, and a timeout for fetching. */
  public static CatalogStore at(Path dir, Supplier<Catalog> snapshot, Clock clock, Duration timeout) {
    return new CatalogStore(dir, snapshot, clock, timeout);
  }

  public Path dir() {
    return dir;
  }

  /**
   * The newest valid catalog: the kept one (the previous if the current is damaged), unless the
   * snapshot is newer. Each call reads the kept file and checks its SHA-256 (a few milliseconds):
   * take it once, at start-up, and keep it.
   */
  public Catalog inForce() {
    return kept().map(k -> k.catalog).orElseGet(bundled);
  }

  /** What {@link #inForce()} returns, described. */
  public Info inForceInfo() {
    return kept().map(k -> k.info).orElseGet(() -> describe(bundled.get(), null, null, null));
  }

  private record Kept(Catalog catalog, Info info) {}

  /** The kept catalog read last (by its SHA-256): a command asks more than once, a service once. */
  private static volatile Kept last;

  private Optional<Kept> kept() {
    for (String name : new String[] {CURRENT, PREVIOUS}) {
      Optional<Kept> k = load(name);
      if (k.isPresent()) {
        return k;
      }
    }
    return Optional.empty();
  }

  /** A kept file whose checksum holds and that is not older than the snapshot; empty otherwise. */
  private Optional<Kept> load(String name) {
    Path data = dir.resolve(name + ".json");
    Path meta = dir.resolve(name + ".properties");
    if (!Files.isRegularFile(data) || !Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    try {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(meta)) {
        p.load(in);
      }
      byte[] bytes = Files.readAllBytes(data);
      String sha = sha256(bytes);
      if (!sha.equals(p.getProperty("sha256"))) {
        return Optional.empty(); // damaged since it was kept
      }
      Kept k = last;
      if (k == null || !k.info.sha256().equals(sha) || !k.info.file().equals(data)) {
        Catalog c = Catalog.read(data.toString(), new String(bytes, StandardCharsets.UTF_8), true);
        String asOf = p.getProperty("prices_as_of", "");
        Info info = new Info(p.getProperty("source"), asOf.isEmpty() ? null : LocalDate.parse(asOf),
            Instant.parse(p.getProperty("taken")), sha, Integer.parseInt(p.getProperty("providers")),
            Integer.parseInt(p.getProperty("models")), data);
        k = new Kept(c, info);
        last = k;
      }
      Catalog snapshot = bundled.get();
      if (!snapshot.source().equals(p.getProperty("snapshot"))) {
        // Kopeck was upgraded since: its snapshot may be newer than the kept data
        LocalDate s = snapshot.newestPriceDate();
        if (s != null && (k.info.pricesAsOf() == null || s.isAfter(k.info.pricesAsOf()))) {
          return Optional.empty();
        }
      }
      return Optional.of(k);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // unreadable or damaged: the next one, or the snapshot
    }
  }

  /**
   * Fetches ({@code http://}, {@code https://}) or reads (a file path) catalog data, checks it, and
   * keeps it as the data in force; the data in force before stays as the previous.
   *
   * @param from a URL or a file: genai-prices' published data file (a JSON array of providers), or a
   *     catalog in Kopeck's own format
   * @return what is now in force
   * @throws CatalogException when the data cannot be fetched or read, is damaged or invalid (naming the
   *     JSON path), or is older than the data in force; nothing is changed then
   */
  public Info update(String from) {
    Objects.requireNonNull(from, "from");
    try {
      return check(from);
    } catch (CatalogException e) {
      throw e;
    } catch (dev.kopeck.base.InputException e) {
      throw new CatalogException(e.source(), e.location(), e.problem(), e);
    }
  }

  /**
   * Reads catalog data from a URL or a file and checks it as {@link #update(String)} does, without
   * keeping it: for {@code --catalog FILE}, one command's catalog. The unit table is the one of the
   * catalog in force.
   *
   * @throws CatalogException as {@link #update(String)}, but for the date: any date is read
   */
  public Catalog read(String from) {
    Objects.requireNonNull(from, "from");
    try {
      return Catalog.read(from, kopeckFormat(from, take(from), inForce()));
    } catch (CatalogException e) {
      throw e;
    } catch (dev.kopeck.base.InputException e) {
      throw new CatalogException(e.source(), e.location(), e.problem(), e);
    }
  }

  private static String kopeckFormat(String from, String text, Catalog current) {
    JsonNode tree = Json.parse(from, text);
    String kopeck;
    if (tree.isArray()) {
      kopeck = Catalog.wrapPublished(from, (ArrayNode) tree, current);
    } else if (tree.isObject() && tree.path("providers").isArray() && !tree.has("units")) {
      kopeck = Catalog.wrapPublished(from, (ArrayNode) tree.get("providers"), current);
    } else if (tree.isObject() && tree.has("units") && tree.has("providers")) {
      kopeck = text; // Kopeck's own format, with its unit table
    } else {
      throw new CatalogException(from, "$", "expected genai-prices' published data (an array of providers), found "
          + dev.kopeck.pricing.json.Node.describe(tree));
    }
    Catalog.read(from, kopeck).validate();
    return kopeck;
  }

  private Info check(String from) {
    String text = take(from);
    Catalog current = inForce();
    String kopeck = kopeckFormat(from, text, current);
    Catalog fresh = Catalog.read(from, kopeck);
    LocalDate newDate = fresh.newestPriceDate();
    LocalDate oldDate = current.newestPriceDate();
    if (oldDate != null && (newDate == null || newDate.isBefore(oldDate))) {
      throw new CatalogException(from, null, "older than the catalog in force (" + inForceInfo().source()
          + "): its newest price applies from " + newDate + ", theirs from " + oldDate + "; kept the one in force");
    }
    return keep(fresh, kopeck.getBytes(StandardCharsets.UTF_8), from, newDate);
  }

  private Info keep(Catalog fresh, byte[] bytes, String from, LocalDate asOf) {
    String sha = sha256(bytes);
    Info info = new Info(from, asOf, clock.instant(), sha, fresh.providers().size(), fresh.modelCount(),
        dir.resolve(CURRENT + ".json"));
    Properties p = new Properties();
    p.setProperty("source", from);
    p.setProperty("taken", info.taken().toString());
    p.setProperty("prices_as_of", asOf == null ? "" : asOf.toString());
    p.setProperty("sha256", sha);
    p.setProperty("providers", Integer.toString(info.providers()));
    p.setProperty("models", Integer.toString(info.models()));
    p.setProperty("snapshot", bundled.get().source());
    try {
      Files.createDirectories(dir);
      Path data = Files.createTempFile(dir, CURRENT, ".json.tmp");
      Path meta = Files.createTempFile(dir, CURRENT, ".properties.tmp");
      Files.write(data, bytes);
      try (var out = Files.newOutputStream(meta)) {
        p.store(out, "kopeck catalog update: the catalog data in force, and where it came from");
      }
      if (load(CURRENT).isPresent()) {
        move(dir.resolve(CURRENT + ".json"), dir.resolve(PREVIOUS + ".json"));
        move(dir.resolve(CURRENT + ".properties"), dir.resolve(PREVIOUS + ".properties"));
      }
      move(data, dir.resolve(CURRENT + ".json"));
      move(meta, dir.resolve(CURRENT + ".properties"));
    } catch (IOException e) {
      throw new CatalogException(dir.toString(), null, "cannot keep the catalog: " + e.getMessage());
    }
    return info;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String take(String from) {
    String lower = from.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return fetch(from);
    }
    Path file = Path.of(from);
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new CatalogException(from, null, "larger than any catalog (" + (MAX_BYTES >> 20) + " MB)");
      }
      return dev.kopeck.base.Utf8.decode(from, Files.readAllBytes(file));
    } catch (IOException e) {
      throw new CatalogException(from, null, InputException.reason(e));
    }
  }

  private String fetch(String url) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    HttpResponse<byte[]> r;
    try {
      r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json")
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CatalogException(url, null, "cannot reach the server: " + (e.getMessage() != null ? e.getMessage()
          : e.getClass().getSimpleName()) + "; kept the catalog in force");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CatalogException(url, null, "interrupted while fetching");
    } catch (IllegalArgumentException e) {
      throw new CatalogException(url, null, "not a URL: " + e.getMessage());
    }
    if (r.statusCode() != 200) {
      throw new CatalogException(url, null, "the server answered HTTP " + r.statusCode()
          + "; kept the catalog in force");
    }
    if (r.body().length > MAX_BYTES) {
      throw new CatalogException(url, null, "larger than any catalog (" + (MAX_BYTES >> 20) + " MB)");
    }
    return dev.kopeck.base.Utf8.decode(url, r.body());
  }

  private static Info describe(Catalog c, Instant taken, String sha, Path file) {
    return new Info(c.source(), c.newestPriceDate(), taken, sha, c.providers().size(), c.modelCount(), file);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
