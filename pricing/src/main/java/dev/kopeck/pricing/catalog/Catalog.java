package dev.kopeck.pricing.catalog;

import dev.kopeck.base.internal.CloseNames;
import dev.kopeck.pricing.catalog.Units.Unit;
import dev.kopeck.pricing.json.Json;
import dev.kopeck.pricing.json.Node;
import dev.kopeck.pricing.tariff.TariffSource;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Providers, their models and prices, and how their responses report usage: the public price data
 * of genai-prices (43 providers, about 1,700 models), imported at build time, priced exactly.
 *
 * <p>Finding a model follows genai-prices: the provider by its id (or a name its rule accepts), by
 * its API URL, or by a rule on the model name; then the provider's first model whose match rule
 * accepts the name (lower-cased), then its fallback providers' models, then the same with a date
 * suffix written {@code -2025-05-14} instead of {@code -20250514}. Pricing follows genai-prices
 * too, in exact decimals: each priced unit bills its own count less what more specific priced
 * units bill (cache reads are not billed again as input; an unpriced part bills at its parent's
 * price), tiered prices take the last tier whose start is below the request's input tokens (a
 * cliff, for all the tokens of that key), and dated or time-of-day prices apply by the instant.
 *
 * <p>Immutable and thread-safe.
 */
public final class Catalog {
  private final String source;
  private final Currency currency;
  private final Units units;
  private final List<CatalogProvider> providers;
  private final Map<String, CatalogProvider> byId;
  /** The unit table as read, for data published without one (genai-prices' data.json). */
  final com.fasterxml.jackson.databind.JsonNode unitsJson;

  private Catalog(String source, Currency currency, Units units, List<CatalogProvider> providers,
      com.fasterxml.jackson.databind.JsonNode unitsJson) {
    this.unitsJson = unitsJson;
    this.source = source;
    this.currency = currency;
    this.units = units;
    this.providers = List.copyOf(providers);
    Map<String, CatalogProvider> m = new LinkedHashMap<>();
    for (CatalogProvider p : providers) {
      m.putIfAbsent(p.id(), p);
    }
    this.byId = Map.copyOf(m);
  }

  /** The catalog bundled with Kopeck (every {@link TariffSource}'s catalogs; empty without kopeck-tariffs). */
  public static Catalog bundled() {
    return Bundled.INSTANCE;
  }

  private static final class Bundled {
    static final Catalog INSTANCE = load();

    private static Catalog load() {
      for (TariffSource s : ServiceLoader.load(TariffSource.class, Catalog.class.getClassLoader())) {
        for (Map.Entry<String, String> e : s.catalogs().entrySet()) {
          return read(e.getKey(), e.getValue(), true);
        }
      }
      throw new IllegalStateException("no bundled catalog: add dev.kopeck:kopeck-tariffs to the class path");
    }
  }

  /** Reads one value of a document being streamed (the trailing-token check is for whole documents). */
  private static final com.fasterxml.jackson.databind.ObjectReader PART = Json.MAPPER.reader()
      .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Reads a catalog file ({@code source} names it in errors), every part of it checked now. */
  public static Catalog read(String source, String json) {
    Catalog c = read(source, json, true);
    c.providers.forEach(CatalogProvider::models);
    return c;
  }

  /**
   * Reads a catalog, leaving each provider's models as text until something asks for them: the
   * bundled catalog holds 1,700 models, and a command usually needs one provider's.
   */
  static Catalog read(String source, String json, boolean lazy) {
    com.fasterxml.jackson.databind.node.ObjectNode top = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
        .objectNode();
    List<com.fasterxml.jackson.databind.node.ObjectNode> providerFields = new ArrayList<>();
    List<String> modelsText = new ArrayList<>();
    try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new CatalogException(source, "$", "expected an object");
      }
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("providers") || p.currentToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
          top.set(field, PART.readTree(p));
          continue;
        }
        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
          com.fasterxml.jackson.databind.node.ObjectNode fields = com.fasterxml.jackson.databind.node.JsonNodeFactory
              .instance.objectNode();
          String models = null;
          while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("models") && p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
              int from = (int) p.currentTokenLocation().getCharOffset();
              p.skipChildren();
              models = json.substring(from, (int) p.currentTokenLocation().getCharOffset() + 1);
            } else {
              fields.set(name, PART.readTree(p));
            }
          }
          providerFields.add(fields);
          modelsText.add(models);
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw Json.syntaxError(source, e, 0);
    } catch (java.io.IOException e) {
      throw new CatalogException(source, null, "cannot read: " + e.getMessage());
    }
    Node root = Node.root(source, top);
    Units units = Units.read(root.require("units"));
    Currency currency;
    try {
      currency = Currency.getInstance(root.require("currency").nonBlankText());
    } catch (IllegalArgumentException e) {
      throw root.get("currency").error("not an ISO 4217 currency code");
    }
    List<CatalogProvider> providers = new ArrayList<>();
    for (int i = 0; i < providerFields.size(); i++) {
      String path = "$.providers[" + i + "]";
      String text = modelsText.get(i);
      if (text == null) {
        throw new CatalogException(source, path + ".models", "required field is missing");
      }
      providers.add(provider(Node.at(source, path, providerFields.get(i)), units,
          provider -> models(Node.at(source, path + ".models", Json.parse(source, text)), units, provider)));
    }
    String from = root.has("source") ? root.get("source").text() : source;
    return new Catalog(from, currency, units, providers, top.get("units"));
  }

  /**
   * The catalog in force: the newest valid one {@code kopeck catalog update} keeps in
   * {@code ~/.cache/kopeck/catalog/} (or {@code $KOPECK_CACHE/catalog/}), else the bundled snapshot,
   * the offline default. {@link CatalogStore#inForce()} says the same of another folder. It reads the
   * kept file's checksum each call: take it once and keep it.
   */
  public static Catalog inForce() {
    return CatalogStore.standard().inForce();
  }

  /**
   * genai-prices' published data (a JSON array of providers, as in
   * {@code prices/new_data/v2/data.json}) as a catalog file {@link #read(String, String)} reads, with
   * the unit table and currency of {@code units}; descriptions and price comments are left out.
   */
  static String wrapPublished(String source, com.fasterxml.jackson.databind.node.ArrayNode providers, Catalog units) {
    com.fasterxml.jackson.databind.node.ObjectNode top = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
        .objectNode();
    for (com.fasterxml.jackson.databind.JsonNode p : providers) {
      if (p.isObject()) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove(List.of("description", "price_comments"));
        for (com.fasterxml.jackson.databind.JsonNode m : p.path("models")) {
          if (m.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) m).remove(List.of("description", "price_comments"));
          }
        }
      }
    }
    top.put("source", source);
    top.put("currency", units.currency.getCurrencyCode());
    top.set("units", units.unitsJson);
    top.set("providers", providers);
    try {
      return Json.MAPPER.writeValueAsString(top);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks what pricing would otherwise find out late: every model's prices and match rule parse
   * (read already), every set of prices can price (no priced part without its priced whole), and
   * every fallback provider a provider names exists, so that every model resolves.
   *
   * @throws CatalogException naming the provider and model
   */
  void validate() {
    for (int i = 0; i < providers.size(); i++) {
      CatalogProvider p = providers.get(i);
      for (String f : p.fallbacks) {
        if (!byId.containsKey(f)) {
          throw new CatalogException(source, "$.providers[" + i + "].fallback_model_providers",
              "no provider \"" + f + "\" in the data");
        }
      }
      List<CatalogModel> models = p.models();
      for (int j = 0; j < models.size(); j++) {
        CatalogModel m = models.get(j);
        String where = "$.providers[" + i + "].models[" + j + "]";
        for (PriceSet.Conditional set : m.prices.sets()) {
          String bad = set.plan().inconsistency();
          if (bad != null) {
            throw new CatalogException(source, where + ".prices", p.id() + " " + m.id() + " " + bad);
          }
        }
      }
    }
  }

  /** The latest date a price of this data applies from (its start dates), or null when none has one. */
  LocalDate newestPriceDate() {
    LocalDate newest = null;
    for (CatalogProvider p : providers) {
      for (CatalogModel m : p.models()) {
        for (PriceSet.Conditional set : m.prices.sets()) {
          if (set.from != null && (newest == null || set.from.isAfter(newest))) {
            newest = set.from;
          }
        }
      }
    }
    return newest;
  }

  /** How many models the catalog holds. */
  int modelCount() {
    int n = 0;
    for (CatalogProvider p : providers) {
      n += p.models().size();
    }
    return n;
  }

  private static CatalogProvider provider(Node p, Units units, java.util.function.Function<String, List<CatalogModel>> models) {
    p.requireObject();
    String id = p.require("id").nonBlankText();
    Pattern api;
    try {
      api = Pattern.compile(p.require("api_pattern").text());
    } catch (PatternSyntaxException e) {
      throw p.get("api_pattern").error("not a regular expression: " + e.getDescription());
    }
    List<String> fallbacks = new ArrayList<>();
    if (p.has("fallback_model_providers")) {
      for (Node f : p.get("fallback_model_providers").elements()) {
        fallbacks.add(f.nonBlankText());
      }
    }
    Map<String, Extractor> extractors = new LinkedHashMap<>();
    if (p.has("extractors")) {
      for (Node e : p.get("extractors").elements()) {
        Extractor x = Extractor.read(e, units);
        extractors.putIfAbsent(x.flavor, x);
      }
    }
    return new CatalogProvider(id, p.require("name").text(), api,
        p.has("provider_match") ? Match.read(p.get("provider_match")) : null,
        p.has("model_match") ? Match.read(p.get("model_match")) : null, fallbacks, () -> models.apply(id),
        extractors);
  }

  private static List<CatalogModel> models(Node list, Units units, String provider) {
    List<CatalogModel> models = new ArrayList<>();
    for (Node m : list.elements()) {
      m.requireObject();
      String mid = m.require("id").nonBlankText();
      Long window = m.has("context_window") ? m.get("context_window").count() : null;
      models.add(new CatalogModel(provider, mid, m.has("name") ? m.get("name").text() : mid, window,
          Match.read(m.require("match")), PriceSet.read(m.require("prices"), units)));
    }
    return models;
  }

  /** Where the data came from: {@code @pydantic/genai-prices@0.1.8} for the bundled catalog. */
  public String source() {
    return source;
  }

  /** The currency every price is in. */
  public Currency currency() {
    return currency;
  }

  public List<CatalogProvider> providers() {
    return providers;
  }

  /** The provider with this id, else the first whose rule accepts the name ({@code "Anthropic"}, {@code "google-vertex"}). */
  public Optional<CatalogProvider> provider(String idOrName) {
    String k = idOrName.toLowerCase(Locale.ROOT).trim();
    CatalogProvider p = byId.get(k);
    if (p != null) {
      return Optional.of(p);
    }
    for (CatalogProvider c : providers) {
      if (c.providerMatch != null && c.providerMatch.test(k)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The first provider whose API URL pattern matches the start of {@code apiUrl}. */
  public Optional<CatalogProvider> providerForUrl(String apiUrl) {
    for (CatalogProvider c : providers) {
      if (c.servesUrl(apiUrl)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The first provider whose rule on model names accepts {@code model} ({@code claude-...} is Anthropic's). */
  public Optional<CatalogProvider> providerForModel(String model) {
    String k = model.toLowerCase(Locale.ROOT).trim();
    for (CatalogProvider c : providers) {
      if (c.modelMatch != null && c.modelMatch.test(k)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The model a name means at a provider (its fallback providers and date spellings included). */
  public Optional<CatalogModel> model(CatalogProvider provider, String name) {
    String k = name.toLowerCase(Locale.ROOT).trim();
    CatalogModel m = find(provider, k, true);
    if (m == null) {
      String dated = withDashedDate(k);
      if (!dated.equals(k)) {
        m = find(provider, dated, true);
      }
    }
    return Optional.ofNullable(m);
  }

  private CatalogModel find(CatalogProvider p, String name, boolean fallbacks) {
    for (CatalogModel m : p.models()) {
      if (m.match.test(name)) {
        return m;
      }
    }
    if (fallbacks) {
      for (String f : p.fallbacks) {
        CatalogProvider fp = byId.get(f);
        if (fp != null) {
          CatalogModel m = find(fp, name, false);
          if (m != null) {
            return m;
          }
        }
      }
    }
    return null;
  }

  private static final Pattern COMPACT_DATE =
      Pattern.compile("(-)(20\\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])(?=-|:|$)");

  /** {@code claude-sonnet-4-20250514} as {@code claude-sonnet-4-2025-05-14}; an impossible date stays as it is. */
  static String withDashedDate(String name) {
    Matcher m = COMPACT_DATE.matcher(name);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String dashed = m.group(2) + "-" + m.group(3) + "-" + m.group(4);
      String rep;
      try {
        LocalDate.parse(dashed);
        rep = "-" + dashed;
      } catch (DateTimeParseException e) {
        rep = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(rep));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /**
   * Reads the usage of a provider's response with the extractor of its API flavour
   * ({@code default}, {@code chat}, {@code responses}, {@code anthropic}, {@code embeddings}, ...).
   *
   * @throws CatalogException naming the provider, the flavour or the place in the response
   */
  public ExtractedUsage extract(String provider, String apiFlavor, String source, String json) {
    CatalogProvider p = provider(provider).orElseThrow(() -> new CatalogException(source, null,
        "unknown provider \"" + provider + "\""));
    Extractor x = p.extractors.get(apiFlavor == null ? "default" : apiFlavor);
    if (x == null) {
      throw new CatalogException(source, null, p.id() + " has no usage reader for API flavour \"" + apiFlavor
          + "\"; it has " + String.join(", ", p.apiFlavors()));
    }
    return x.extract(units, Node.root(source, Json.parse(source, json)));
  }

  /**
   * A response's usage as the catalog prices it: Kopeck's reading ({@link UnitUsage#of(dev.kopeck.pricing.usage.Usage)}),
   * with the counts it does not keep (web searches, 5-minute and 1-hour cache writes, document pages, ...)
   * taken from the first of the model's provider's usage readers that reads the response to the same
   * input and output totals. A response no reader reads (a stream, a bare usage, another API's shape)
   * is priced on Kopeck's reading alone.
   *
   * @param provider a provider id or name, or null to find it by the model's name
   * @throws CatalogException when the provider or the model is unknown
   */
  public UnitUsage usageOf(dev.kopeck.pricing.usage.Usage usage, String model, String provider, String source, String json) {
    UnitUsage base = UnitUsage.of(usage);
    CatalogProvider p = resolve(model, provider).provider;
    if (p.extractors.isEmpty()) {
      return base;
    }
    Node root;
    try {
      root = Node.root(source, Json.parse(source, json));
    } catch (RuntimeException e) {
      return base; // not one JSON document: a stream, which Kopeck's reader reads whole
    }
    List<String> flavors = new ArrayList<>(p.apiFlavors());
    if (flavors.remove("default")) {
      flavors.add(0, "default");
    }
    for (String flavor : flavors) {
      UnitUsage read;
      try {
        read = p.extractors.get(flavor).extract(units, root).usage();
      } catch (RuntimeException e) {
        continue;
      }
      if (same(read, base, "input_tokens") && same(read, base, "output_tokens")) {
        Map<String, BigDecimal> m = new TreeMap<>(read.counts());
        m.putAll(base.counts());
        return new UnitUsage(m);
      }
    }
    return base;
  }

  private static boolean same(UnitUsage a, UnitUsage b, String key) {
    BigDecimal x = a.get(key);
    BigDecimal y = b.get(key);
    return x == null ? y == null : y != null && x.compareTo(y) == 0;
  }

  /**
   * Prices a usage as genai-prices' {@code calcPrice} does, exactly.
   *
   * @param provider a provider id or name, or null to find it by the model's name
   * @param at the instant that chooses dated and time-of-day prices
   * @throws CatalogException when the provider or the model is unknown, or the usage is inconsistent
   *     (a part larger than its whole), naming what
   */
  public CatalogPrice price(UnitUsage usage, String model, String provider, Instant at) {
    return price(usage, model, provider, at, null);
  }

  /**
   * Prices a usage as {@link #price(UnitUsage, String, String, Instant)}, on a service tier: the
   * tier's prices where the provider publishes them as a share of the standard tier's (OpenAI's
   * {@code flex} and {@code batch}, Anthropic's and Google's {@code batch}: half, on tokens; per-use
   * fees such as searches unchanged), else the standard tier's, and the price says so in its notes.
   * genai-prices has no tier prices: a tier other than standard departs from its figure on purpose.
   *
   * @param serviceTier as the provider names it ({@code flex}, {@code priority}, {@code batch}), or
   *     null (or {@code standard}, {@code default}, {@code auto}) for the standard tier
   */
  public CatalogPrice price(UnitUsage usage, String model, String provider, Instant at, String serviceTier) {
    Priced p = priced(usage, resolve(model, provider), at, serviceTier);
    return new CatalogPrice(p.provider, p.model, currency, p.input, p.output, p.total, List.of(p.lines), p.serviceTier,
        p.notes);
  }

  private Priced priced(UnitUsage usage, Found f, Instant at, String serviceTier) {
    UnitUsage u = usage;
    if (f.provider.id().equals("groq")
        && (f.model.id().equals("whisper-large-v3") || f.model.id().equals("whisper-large-v3-turbo"))) {
      u = atLeastTenSeconds(usage);
    }
    return priced(u, f.provider, f.model, f.model.prices.at(at), serviceTier);
  }

  /** The tiers priced as a share of the standard tier's token prices, by provider, as the providers publish them. */
  private static final Map<String, Map<String, BigDecimal>> TIERS = Map.of(
      "openai", Map.of("flex", new BigDecimal("0.5"), "batch", new BigDecimal("0.5")),
      "anthropic", Map.of("batch", new BigDecimal("0.5")),
      "google", Map.of("batch", new BigDecimal("0.5")));

  private static final java.util.Set<String> STANDARD_NAMES = java.util.Set.of("standard", "default", "auto",
      "on_demand", "on-demand");

  /**
   * The share of the standard tier's token prices that {@code tier} costs at {@code provider}, or
   * null when that is not published (the standard tier is priced then); 1 for the standard tier.
   */
  static BigDecimal tierShare(String provider, String tier) {
    if (tier == null || STANDARD_NAMES.contains(tier)) {
      return BigDecimal.ONE;
    }
    return TIERS.getOrDefault(provider, Map.of()).get(tier);
  }

  /**
   * Prices a usage as {@link #price} does, as Kopeck's one cost type: a line per priced unit that
   * bills something, named as the tariff tables name their charges where they have the same one.
   */
  public dev.kopeck.pricing.cost.Cost cost(UnitUsage usage, String model, String provider, Instant at) {
    return cost(usage, model, provider, at, null);
  }

  /**
   * As {@link #cost(UnitUsage, String, String, Instant)}, on the service tier the provider ran the
   * call on ({@code flex}, {@code batch}; null: the standard tier); the cost's notes say what
   * {@link CatalogPrice#notes()} says (a tier priced as standard, a modality billed at another rate).
   */
  public dev.kopeck.pricing.cost.Cost cost(UnitUsage usage, String model, String provider, Instant at, String serviceTier) {
    Priced p = priced(usage, resolve(model, provider), at, serviceTier);
    List<dev.kopeck.pricing.cost.CostLine> lines = new ArrayList<>(p.listed.length);
    for (int i = 0; i < p.listed.length; i++) {
      CatalogPrice.Line l = p.lines[i];
      if (l.amount().signum() == 0 && l.quantity().signum() == 0) {
        continue;
      }
      Unit unit = p.listed[i];
      long tokens = unit.countedAs().equals("token") ? l.quantity().longValue() : 0;
      lines.add(new dev.kopeck.pricing.cost.CostLine(unit.component(), unit.component(), tokens, l.quantity(),
          unit.countedAs(), l.price(), l.per(), l.amount()));
    }
    String from = p.serviceTier.equals(CatalogPrice.STANDARD) ? source : source + ", " + p.serviceTier + " tier";
    return new dev.kopeck.pricing.cost.Cost(p.model, p.provider, dev.kopeck.pricing.cost.Cost.Source.CATALOG, from, null, lines,
        dev.kopeck.pricing.money.Money.of(p.total, currency), p.notes);
  }

  /** A usage key as a cost line's component: the tariff tables' name where they have the same charge. */
  static String component(String usageKey) {
    switch (usageKey) {
      case "output_reasoning_tokens":
        return "reasoning";
      case "cache_audio_read_tokens":
        return "cache_read_audio";
      case "requests":
        return "request";
      default:
        return usageKey.endsWith("_tokens") ? usageKey.substring(0, usageKey.length() - "_tokens".length()) : usageKey;
    }
  }

  /** What a usage key counts. */
  static String unit(String usageKey) {
    if (usageKey.endsWith("_tokens")) {
      return "token";
    } else if (usageKey.endsWith("_seconds")) {
      return "second";
    } else if (usageKey.equals("requests")) {
      return "request";
    } else if (usageKey.endsWith("searches")) {
      return "search";
    } else if (usageKey.endsWith("pages")) {
      return "page";
    }
    return usageKey;
  }

  /**
   * The model a name means, and the provider it is priced at, as {@link #price} finds them: the
   * provider named (an id, a name its rule accepts, or {@code litellm} with a {@code provider/model}
   * name), else the one whose rule accepts the model's name, else the one a {@code provider/} prefix
   * of the name names ({@code openai/gpt-4o}).
   *
   * @throws CatalogException naming what is unknown, with close names
   */
  public CatalogModel require(String model, String provider) {
    return resolve(model, provider).model;
  }

  /** {@link #require}, or empty when the catalog does not know the model. */
  public Optional<CatalogModel> find(String model, String provider) {
    try {
      return Optional.of(resolve(model, provider).model);
    } catch (CatalogException e) {
      return Optional.empty();
    }
  }

  private record Found(CatalogProvider provider, CatalogModel model) {}

  /** Names resolved before: a service prices a few models many times. Bounded: cleared when full. */
  private final java.util.concurrent.ConcurrentHashMap<Object, Found> resolved = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int RESOLVED_MAX = 4_096;

  private Found resolve(String model, String provider) {
    if (model == null || model.isBlank()) {
      throw new CatalogException(null, null, "no model to price: the response names none; name the model");
    }
    Object key = provider == null ? model : new At(provider, model); // no string built for a hit
    Found f = resolved.get(key);
    if (f == null) {
      f = resolveAnew(model, provider);
      if (resolved.size() >= RESOLVED_MAX) {
        resolved.clear();
      }
      resolved.put(key, f);
    }
    return f;
  }

  /** A model's name at a provider, as the caller gave them. */
  private record At(String provider, String model) {}

  private Found resolveAnew(String model, String provider) {
    String name = model.toLowerCase(Locale.ROOT).trim();
    int slash = name.indexOf('/');
    String prefix = slash > 0 && slash < name.length() - 1 ? name.substring(0, slash) : null;
    boolean prefixIsProvider = prefix != null && provider(prefix).isPresent();
    if (prefixIsProvider && provider != null && provider.equalsIgnoreCase("litellm")) {
      return resolve(model, name.substring(slash + 1), prefix); // LiteLLM's provider/model
    }
    try {
      return resolve(model, name, provider);
    } catch (CatalogException e) {
      // openai/gpt-4o, anthropic/claude-sonnet-4-5: the prefix names the provider
      if (prefixIsProvider && (provider == null || provider.equalsIgnoreCase(prefix))) {
        try {
          return resolve(model, name.substring(slash + 1), prefix);
        } catch (CatalogException ignored) {
          // the first error says more
        }
      }
      throw e;
    }
  }

  private Found resolve(String model, String name, String pid) {
    CatalogProvider p = pid != null ? provider(pid).orElse(null) : providerForModel(name).orElse(null);
    if (p == null) {
      throw new CatalogException(null, null, pid != null ? "unknown provider \"" + pid + "\"" + didYouMean(pid,
          providers.stream().map(CatalogProvider::id).toList()) : "no provider is known for model \"" + model
          + "\"; name the provider");
    }
    CatalogModel m = model(p, name).orElseThrow(() -> new CatalogException(null, null,
        "unknown model \"" + model + "\" at " + p.id() + didYouMean(name, p.models().stream().map(CatalogModel::id)
            .toList())));
    return new Found(p, m);
  }

  private static String didYouMean(String name, List<String> known) {
    List<String> close = CloseNames.among(name, known, 5);
    return close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?";
  }

  /** Groq bills a transcription of at least 10 seconds. */
  private static UnitUsage atLeastTenSeconds(UnitUsage usage) {
    BigDecimal a = usage.get("audio_seconds");
    BigDecimal i = usage.get("input_audio_seconds");
    BigDecimal d = a != null && a.signum() != 0 ? a : i != null ? i : a;
    if (d == null) {
      return usage;
    }
    BigDecimal billed = d.signum() > 0 ? d.max(BigDecimal.TEN) : BigDecimal.ZERO;
    Map<String, BigDecimal> c = new TreeMap<>(usage.counts());
    c.put("audio_seconds", billed);
    c.put("input_audio_seconds", billed);
    return new UnitUsage(c);
  }

  /**
   * A usage priced, before it is shaped as a {@link CatalogPrice} or a {@link dev.kopeck.pricing.cost.Cost}:
   * {@code lines[i]} bills {@code listed[i]}, the plan's units (not copied).
   */
  private record Priced(String provider, String model, Unit[] listed, CatalogPrice.Line[] lines, BigDecimal input,
      BigDecimal output, BigDecimal total, String serviceTier, List<String> notes) {}

  private Priced priced(UnitUsage usage, CatalogProvider p, CatalogModel m, PriceSet.Conditional set,
      String serviceTier) {
    // the usage's counts by index, each with its unit, looked up once: pricing asks about them many times
    UsageCounts counts = (UsageCounts) usage.counts();
    Unit[] reported = new Unit[counts.size()];
    boolean modalities = false; // a count of audio, image or video tokens, which may have no rate of its own
    for (int i = 0; i < reported.length; i++) {
      Unit u = units.byUsageKey(counts.key(i));
      if (u == null) {
        throw new IllegalArgumentException("not a usage key: " + counts.key(i));
      }
      reported[i] = u;
      modalities |= u.nonTextTokens();
    }
    String tier = serviceTier == null ? null : serviceTier.trim().toLowerCase(Locale.ROOT);
    BigDecimal share = tierShare(p.id(), tier);
    List<String> notes = List.of();
    if (share == null) {
      notes = new ArrayList<>(2);
      notes.add("priced the standard tier: the " + tier + " tier's prices at " + p.id() + " are not known");
      share = BigDecimal.ONE;
      tier = null;
    }
    PriceSet.Plan plan = set.plan();
    if (plan.inconsistency() != null) {
      throw new CatalogException(source, m.toString(), plan.inconsistency());
    }
    BigDecimal inputTokens = plan.tiered() ? value(counts, reported, units.byUsageKey("input_tokens")) : BigDecimal.ZERO;
    // what each priced unit bills: its own count less what its more specific priced units bill
    Unit[] order = plan.order();
    BigDecimal[] leaf = new BigDecimal[order.length];
    for (int n = 0; n < order.length; n++) {
      BigDecimal rest = value(counts, reported, order[n]);
      for (int d : plan.parts()[n]) {
        rest = rest.subtract(leaf[d]);
      }
      if (rest.signum() < 0) {
        throw new CatalogException(null, null, exceeds(order[n], order, counts, reported));
      }
      leaf[n] = rest;
    }
    BigDecimal in = BigDecimal.ZERO;
    BigDecimal out = BigDecimal.ZERO;
    BigDecimal other = BigDecimal.ZERO;
    Unit[] listed = plan.listed();
    CatalogPrice.Line[] lines = new CatalogPrice.Line[listed.length];
    for (int i = 0; i < listed.length; i++) {
      Unit unit = listed[i];
      BigDecimal rate = plan.listedPrices()[i].at(inputTokens);
      if (share != BigDecimal.ONE && unit.tokens()) {
        rate = rate.multiply(share).stripTrailingZeros();
      }
      BigDecimal count = BigDecimal.ONE;
      if (unit.usageKey().equals(Units.REQUESTS)) {
        BigDecimal given = counts.get(Units.REQUESTS);
        count = given != null ? given : BigDecimal.ONE;
      } else {
        for (int n = 0; n < order.length; n++) {
          if (order[n] == unit) {
            count = leaf[n];
          }
        }
      }
      BigDecimal amount = count.signum() == 0 ? BigDecimal.ZERO : divide(rate.multiply(count), unit);
      lines[i] = new CatalogPrice.Line(unit.usageKey(), unit.priceKey(), count, rate, unit.per(), amount);
      if ("input".equals(unit.direction())) {
        in = plus(in, amount);
      } else if ("output".equals(unit.direction())) {
        out = plus(out, amount);
      } else {
        other = plus(other, amount);
      }
    }
    if (modalities) {
      notes = modalityNotes(counts, reported, plan, m, notes);
    }
    return new Priced(p.id(), m.id(), listed, lines, in, out, plus(plus(in, out), other),
        tier == null || share == BigDecimal.ONE ? CatalogPrice.STANDARD : tier, notes);
  }

  /**
   * A note for each counted modality (audio, image, video tokens, input or output, cached or not)
   * that the price has no rate of its own for, naming the rate it was billed at: the most specific
   * priced unit it is a part of (a model that bills no tokens of that direction, billed by the second,
   * gets none). Never silent: gpt-4o-audio-preview's audio tokens bill at its text
   * rate in the catalog, and the price says so.
   */
  private List<String> modalityNotes(UsageCounts counts, Unit[] reported, PriceSet.Plan plan, CatalogModel m,
      List<String> notes) {
    for (int i = 0; i < reported.length; i++) {
      if (counts.count(i).signum() <= 0) {
        continue;
      }
      Unit u = reported[i];
      if (!u.nonTextTokens() || plan.prices(u)) {
        continue;
      }
      String note = plan.notes().computeIfAbsent(u, unit -> {
        Unit at = null;
        for (Unit l : plan.listed()) {
          if (l.isAncestorOrSelfOf(unit) && (at == null || l.dimensions().size() > at.dimensions().size())) {
            at = l;
          }
        }
        // none when the model bills no tokens of that direction at all (a voice model billed by the second)
        return at == null ? "" : unit.usageKey() + " billed at " + at.priceKey() + ": " + m.provider() + " " + m.id()
            + " has no " + unit.priceKey() + " in the catalog";
      });
      if (!note.isEmpty()) {
        if (notes.isEmpty()) {
          notes = new ArrayList<>(2);
        }
        notes.add(note);
      }
    }
    return notes;
  }


  /**
   * {@code sum.add(amount)}, without making the same figure anew for a zero amount whose scale is no
   * larger than the sum's (the sum's value and scale would not change): most lines of a usage bill nothing.
   */
  private static BigDecimal plus(BigDecimal sum, BigDecimal amount) {
    return amount.signum() == 0 && amount.scale() <= sum.scale() ? sum : sum.add(amount);
  }

  /**
   * {@code a} per {@code unit.per()}, exact: a shift of the scale when per is a power of ten; else
   * exact if it terminates, or 34 digits.
   */
  private static BigDecimal divide(BigDecimal a, Unit unit) {
    if (unit.perPowerOfTen()) {
      BigDecimal q = a.movePointRight(unit.perScale()).stripTrailingZeros();
      return q.scale() < 0 ? q.setScale(0) : q; // the fewest digits: 0.415, not 0.415000000
    }
    try {
      return a.divide(unit.per());
    } catch (ArithmeticException e) {
      return a.divide(unit.per(), MathContext.DECIMAL128);
    }
  }

  private String exceeds(Unit whole, Unit[] order, UsageCounts counts, Unit[] reported) {
    BigDecimal w = value(counts, reported, whole);
    for (Unit d : order) {
      if (d != whole && whole.isAncestorOrSelfOf(d)) {
        BigDecimal v = value(counts, reported, d);
        if (v.compareTo(w) > 0) {
          return "invalid usage: " + d.usageKey() + " (" + v.toPlainString() + ") exceeds " + whole.usageKey() + " ("
              + w.toPlainString() + ")";
        }
      }
    }
    return "invalid usage: the parts of " + whole.usageKey() + " exceed it (" + w.toPlainString() + ")";
  }

  /**
   * A unit's count in a usage ({@code reported[i]} is the unit of count {@code i}); an unreported unit
   * counts zero, unless a more specific one was reported positive (then its whole is missing, and
   * pricing would be a guess).
   */
  private BigDecimal value(UsageCounts counts, Unit[] reported, Unit unit) {
    for (int i = 0; i < reported.length; i++) {
      if (reported[i] == unit) {
        return counts.count(i);
      }
    }
    if (unit == null) {
      return BigDecimal.ZERO;
    }
    int wholes = 0;
    for (int i = 0; i < reported.length; i++) {
      if (counts.count(i).signum() <= 0) {
        continue;
      }
      Unit a = reported[i];
      if (a != unit && unit.isAncestorOrSelfOf(a)) {
        throw new CatalogException(null, null, "the usage has " + a.usageKey() + " but not " + unit.usageKey()
            + ", which it is part of");
      }
      if (a.isAncestorOrSelfOf(unit)) {
        wholes++;
      }
    }
    if (wholes >= 2) {
      // two reported wholes whose shared part is this unit (input audio and cache reads: cached audio)
      for (int i = 0; i < reported.length; i++) {
        for (int j = 0; j < reported.length; j++) {
          Unit a = reported[i];
          Unit b = reported[j];
          if (counts.key(i).compareTo(counts.key(j)) < 0 && counts.count(i).signum() > 0 && counts.count(j).signum() > 0
              && a.compatibleWith(b) && !a.isAncestorOrSelfOf(b) && !b.isAncestorOrSelfOf(a) && units.join(a, b) == unit) {
            throw new CatalogException(null, null, "the usage has " + a.usageKey() + " and " + b.usageKey()
                + " but not " + unit.usageKey() + ", the part they share");
          }
        }
      }
    }
    return BigDecimal.ZERO;
  }
}
