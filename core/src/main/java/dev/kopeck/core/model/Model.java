package dev.kopeck.core.model;

import dev.kopeck.base.InputException;
import dev.kopeck.base.Modality;
import dev.kopeck.pricing.catalog.Catalog;
import dev.kopeck.pricing.catalog.CatalogModel;
import dev.kopeck.pricing.catalog.UnitUsage;
import dev.kopeck.pricing.cost.Cost;
import dev.kopeck.pricing.cost.CostCalculator;
import dev.kopeck.tokens.media.MediaRules;
import dev.kopeck.pricing.tariff.ChargeKind;
import dev.kopeck.pricing.tariff.PricedModel;
import dev.kopeck.pricing.tariff.RateUnit;
import dev.kopeck.pricing.tariff.Tariff;
import dev.kopeck.tokens.ModelTokenizer;
import dev.kopeck.pricing.usage.Usage;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A model as {@link ModelRegistry} resolved it: what it is, what it costs, how its tokens are
 * counted. One type whichever source priced it (a tariff table or the catalog of public prices).
 * Immutable and thread-safe.
 */
public final class Model {
  private final String id;
  private final String provider;
  private final List<String> names;
  private final Currency currency;
  private final Cost.Source source;
  private final PricedModel table;
  private final Catalog catalog;
  private final CatalogModel catalogModel;
  private final String catalogName;
  private final String catalogProvider;
  private final Long contextWindow;
  private final Long outputLimit;
  private final String limitsSource;
  private final ModelTokenizer tokenizer;
  private final MediaRules media;
  private final Set<Modality> input;

  Model(String id, String provider, List<String> names, Currency currency, Cost.Source source, PricedModel table,
      Catalog catalog, CatalogModel catalogModel, String catalogName, String catalogProvider, Long contextWindow,
      Long outputLimit, String limitsSource, ModelTokenizer tokenizer, MediaRules media, Set<Modality> input) {
    this.id = Objects.requireNonNull(id, "id");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.names = List.copyOf(names);
    this.currency = Objects.requireNonNull(currency, "currency");
    this.source = source;
    this.table = table;
    this.catalog = catalog;
    this.catalogModel = catalogModel;
    this.catalogName = catalogName;
    this.catalogProvider = catalogProvider;
    this.contextWindow = contextWindow;
    this.outputLimit = outputLimit;
    this.limitsSource = limitsSource;
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.media = media;
    this.input = Set.copyOf(input);
  }

  /** The model's canonical id where it is priced ({@code gpt-4o}, {@code google/gemini-2.0-flash-001}). */
  public String id() {
    return id;
  }

  /** Who bills it: the tariff table's provider ({@code routerai}) or the catalog's ({@code openai}). */
  public String provider() {
    return provider;
  }

  /** The names it is known by: its id and aliases (a tariff table's), or its id (the catalog's). */
  public List<String> names() {
    return names;
  }

  /** The currency its prices are in. */
  public Currency currency() {
    return currency;
  }

  /** Where its prices come from. */
  public Cost.Source source() {
    return source;
  }

  /** The tariff table's entry, when a table prices it. */
  public Optional<PricedModel> tariffs() {
    return Optional.ofNullable(table);
  }

  /** The catalog's entry, when the catalog prices it. */
  public Optional<CatalogModel> catalogModel() {
    return Optional.ofNullable(catalogModel);
  }

  /** Its context window in tokens, when known (the tariff table's, Kopeck's model table's, else the catalog's). */
  public Optional<Long> contextWindow() {
    return Optional.ofNullable(contextWindow);
  }

  /** The most a reply may hold, when known. */
  public Optional<Long> outputLimit() {
    return Optional.ofNullable(outputLimit);
  }

  /** Where the context window and output limit come from. */
  public String limitsSource() {
    return limitsSource;
  }

  /** Which tokenizer counts its text: its own (exact), or the closest open one (an estimate with a bound). */
  public ModelTokenizer tokenizer() {
    return tokenizer;
  }

  /** The rules that count its media, when known. */
  public Optional<MediaRules> media() {
    return Optional.ofNullable(media);
  }

  /** The modalities it takes; empty when not known. */
  public Set<Modality> inputModalities() {
    return input;
  }

  /**
   * Null when the model may take {@code m} (media of it are counted by its rules), else why not:
   * a model known to take text only refuses media, and a model without media rules cannot count them.
   */
  public String refuses(Modality m) {
    if (m == Modality.TEXT) {
      return null;
    }
    String what = m.jsonName();
    if (!input.isEmpty() && !input.contains(m)) {
      return id + " takes " + String.join(" and ", input.stream().sorted().map(Modality::jsonName).toList())
          + " only, not " + what;
    }
    if (media == null) {
      return "no media rules are known for " + id + ", so its " + what + " tokens cannot be counted";
    }
    return null;
  }

  /** {@code gpt-4o at openai (catalog)}, for messages. */
  @Override
  public String toString() {
    return id + " at " + provider + " (" + source.jsonName() + ")";
  }

  /**
   * Prices a usage with the prices in force at {@code at}. A tariff that bills images per image, for
   * a usage that gives their tokens but not their number, takes the number from the model's media
   * rules (the fewest tokens one image costs: the most images those tokens can be) and the cost says so.
   *
   * @throws InputException when no price is in force then, or the prices bill a unit the usage lacks,
   *     or the usage is inconsistent
   */
  public Cost price(Usage usage, Instant at) {
    return price(usage, at, null, null);
  }

  /**
   * As {@link #price(Usage, Instant)}, with the response's JSON text: the catalog reads from it the
   * counts a {@link Usage} does not keep (web searches, 1-hour cache writes), with the provider's own
   * usage reader.
   */
  public Cost price(Usage usage, Instant at, String source, String responseJson) {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(at, "at");
    if (table != null) {
      Long inferred = imagesToInfer(usage, at);
      Usage u = inferred == null ? usage : usage.withMedia(usage.media().withImages(inferred));
      Cost c = CostCalculator.price(u, table, at);
      if (inferred != null) {
        c = c.withNote(String.format(Locale.ROOT, "images: %d, inferred from %,d image tokens at %d an image; give"
            + " the number of images for the count", inferred, usage.inputByModality().image(), perImage()));
      }
      return c;
    }
    UnitUsage u = responseJson == null ? UnitUsage.of(usage)
        : catalog.usageOf(usage, catalogName, catalogProvider, source, responseJson);
    return catalog.cost(u, catalogName, catalogProvider, at, usage.serviceTier());
  }

  /**
   * A usage whose input is more than the context window holds: a wrong count, the wrong model, or
   * a window larger than the data knows (Anthropic's 1M-token beta). Empty when it fits or the
   * window is not known.
   */
  public Optional<String> overContext(Usage usage) {
    return contextWindow == null || usage.inputTokens() <= contextWindow ? Optional.empty()
        : Optional.of(String.format(Locale.ROOT, "%,d input tokens is more than %s's context window (%,d tokens):"
            + " check the count and the model", usage.inputTokens(), id, contextWindow));
  }

  /** The tariff in force at {@code at}, for a model a table prices. */
  public Optional<Tariff> tariffAt(Instant at) {
    return table == null ? Optional.empty() : table.tariffAt(at);
  }

  /** Whether any price of the model is in force at {@code at} (the catalog's always are). */
  public boolean pricedAt(Instant at) {
    return table == null || table.tariffAt(at).isPresent();
  }

  private Long imagesToInfer(Usage usage, Instant at) {
    if (usage.media().images() != null || usage.inputByModality().image() == 0 || media == null) {
      return null;
    }
    boolean perImage = table.tariffAt(at).flatMap(t -> t.rateFor(ChargeKind.INPUT_IMAGE, usage.inputTokens()))
        .map(a -> a.billedAs() == ChargeKind.INPUT_IMAGE && a.rate().unit() == RateUnit.IMAGE).orElse(false);
    if (!perImage) {
      return null;
    }
    long per = perImage();
    return (usage.inputByModality().image() + per - 1) / per;
  }

  private long perImage() {
    return media.imageTokens(1, 1, MediaRules.Detail.AUTO, MediaRules.Resolution.UNSPECIFIED);
  }
}
