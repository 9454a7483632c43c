package dev.kopeck.core.model;

import dev.kopeck.base.InputException;
import dev.kopeck.base.Modality;
import dev.kopeck.base.internal.CloseNames;
import dev.kopeck.pricing.catalog.Catalog;
import dev.kopeck.pricing.catalog.CatalogException;
import dev.kopeck.pricing.catalog.CatalogModel;
import dev.kopeck.pricing.catalog.CatalogProvider;
import dev.kopeck.pricing.cost.Cost;
import dev.kopeck.core.model.internal.ModelFacts;
import dev.kopeck.pricing.tariff.PricedModel;
import dev.kopeck.pricing.tariff.TariffTables;
import dev.kopeck.pricing.tariff.UnknownModelException;
import dev.kopeck.tokens.ModelTokenizer;
import dev.kopeck.tokens.Tokenizers;
import dev.kopeck.tokens.media.MediaRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that answers "what is this model, and what does it cost": every command, the
 * estimator, the reconciler, the guard and every integration resolve names here.
 *
 * <p>Sources, first match wins: the tariff tables (the user's over the bundled router tables, as
 * {@link TariffTables} layers them), then the catalog of public prices (genai-prices). With a
 * provider, a table's model counts only when its provider is that one; so a user's table can replace
 * one catalog model (the same name and provider) and leave every other to the catalog.
 *
 * <p>What a resolved {@link Model} knows beyond prices comes from, in order: the tariff table's own
 * facts (tokenizer, media rules, limits, modalities), Kopeck's model table
 * ({@code dev/kopeck/core/model/model-facts.tsv}: media rules, modalities, limits of the common models,
 * each row with its source), the tokenizer table ({@link Tokenizers#resolve}: exact, or an estimate
 * with its bound), and the catalog's context window.
 *
 * <p>No model is ever guessed: {@link #choose} gives the configured default only when one was
 * configured, and a name nothing knows is an {@link UnknownModelException} with the close names of
 * every source. Immutable and thread-safe; resolved names are cached.
 */
public final class ModelRegistry {
  private final TariffTables tables;
  private final Catalog catalog;
  private final String defaultModel;
  private final ConcurrentHashMap<String, Model> resolved = new ConcurrentHashMap<>();
  private static final int RESOLVED_MAX = 4_096;

  private ModelRegistry(TariffTables tables, Catalog catalog, String defaultModel) {
    this.tables = tables;
    this.catalog = catalog;
    this.defaultModel = defaultModel;
  }

  /** The bundled tariff tables and the bundled catalog of public prices; no default model. */
  public static ModelRegistry standard() {
    return Standard.INSTANCE;
  }

  private static final class Standard {
    static final ModelRegistry INSTANCE = builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configuration. */
  public static final class Builder {
    private TariffTables tables;
    private Catalog catalog;
    private boolean noCatalog;
    private String defaultModel;

    private Builder() {}

    /** The tariff tables (default: the bundled ones; the user's load on top with {@link TariffTables#builder()}). */
    public Builder tariffs(TariffTables t) {
      tables = Objects.requireNonNull(t, "tariffs");
      return this;
    }

    /**
     * The catalog of public prices (default: {@link Catalog#inForce()}: the newest valid data {@code kopeck catalog
     * update} kept, else the snapshot bundled in kopeck-tariffs).
     */
    public Builder catalog(Catalog c) {
      catalog = Objects.requireNonNull(c, "catalog");
      noCatalog = false;
      return this;
    }

    /** No catalog: only the tariff tables price models. */
    public Builder withoutCatalog() {
      catalog = null;
      noCatalog = true;
      return this;
    }

    /**
     * The model used when neither the caller nor the request names one (default: none, and such a
     * request is refused). Checked now: a name nothing knows is refused here.
     */
    public Builder defaultModel(String model) {
      defaultModel = model == null || model.isBlank() ? null : model.trim();
      return this;
    }

    public ModelRegistry build() {
      TariffTables t = tables != null ? tables : TariffTables.bundled();
      Catalog c = catalog;
      if (c == null && !noCatalog) {
        try {
          c = Catalog.inForce(); // the newest valid `kopeck catalog update`, else the bundled snapshot
        } catch (IllegalStateException absent) {
          c = null; // kopeck-tariffs is not on the class path: the tables alone
        }
      }
      ModelRegistry r = new ModelRegistry(t, c, defaultModel);
      if (defaultModel != null) {
        r.resolve(defaultModel, null);
      }
      return r;
    }
  }

  /** The tariff tables. */
  public TariffTables tariffs() {
    return tables;
  }

  /** The catalog of public prices, when one is loaded. */
  public Optional<Catalog> catalog() {
    return Optional.ofNullable(catalog);
  }

  /** The model configured for requests that name none, if any. */
  public Optional<String> defaultModel() {
    return Optional.ofNullable(defaultModel);
  }

  /**
   * The model to use: the first of {@code names} that is not null (the caller's choice, the
   * request's, the response's), else the configured default.
   *
   * @throws InputException when none is named and no default is configured
   */
  public String choose(String... names) {
    for (String n : names) {
      if (n != null && !n.isBlank()) {
        return n;
      }
    }
    if (defaultModel != null) {
      return defaultModel;
    }
    throw new InputException(null, null, "no model is named: give the model (--model ID on the command line, the"
        + " model argument of the library call, or a configured default model)");
  }

  /**
   * The provider a usage's shape implies when the caller names none: a native Gemini response is
   * Google's, an Anthropic Messages response Anthropic's (not a router's that sells the same model);
   * an OpenAI-compatible shape implies nothing, as every router speaks it.
   */
  public static String providerOf(dev.kopeck.pricing.usage.Usage usage, String provider) {
    if (provider != null || usage == null) {
      return provider;
    }
    return switch (usage.format()) {
      case GEMINI -> "google";
      case ANTHROPIC -> "anthropic";
      default -> null;
    };
  }

  /**
   * The model that priced a usage: {@code model} (the caller's choice), else the one the usage
   * names, else the configured default; at {@code provider}, else the one its shape implies
   * ({@link #providerOf}).
   */
  public Model forUsage(dev.kopeck.pricing.usage.Usage usage, String model, String provider) {
    return resolve(choose(model, usage.model()), providerOf(usage, provider));
  }

  /** {@link #resolve(String, String)} with no provider. */
  public Model resolve(String name) {
    return resolve(name, null);
  }

  /**
   * The model a name means, at {@code provider} when given (an id such as {@code openai},
   * {@code anthropic}, {@code google}, {@code groq}, or a tariff table's provider such as {@code routerai}).
   *
   * @throws UnknownModelException when no source knows the name (at that provider), with close names
   * @throws InputException when the provider is unknown
   */
  public Model resolve(String name, String provider) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new InputException(null, null, "the model name is blank");
    }
    // a hit looks the name up as given, with the provider as given: no string is built or normalised
    boolean atProvider = provider != null && !provider.isBlank();
    Model m = atProvider ? resolvedAt.get(new At(provider, name)) : resolved.get(name);
    if (m == null) {
      String p = atProvider ? provider.trim().toLowerCase(Locale.ROOT) : null;
      String key = p == null ? name : p + "\n" + name;
      Miss miss = misses.get(key);
      if (miss != null) {
        throw miss.error();
      }
      try {
        m = resolveAnew(name, p);
      } catch (InputException e) {
        // a name nothing knows costs a scan of every price list (about a millisecond): a log of many lines
        // naming it pays that once
        if (misses.size() >= RESOLVED_MAX) {
          misses.clear();
        }
        misses.put(key, e instanceof UnknownModelException u ? new Miss(u.model(), u.suggestions(), null)
            : new Miss(null, null, e.problem()));
        throw e;
      }
      if (atProvider) {
        if (resolvedAt.size() >= RESOLVED_MAX) {
          resolvedAt.clear();
        }
        resolvedAt.put(new At(provider, name), m);
      } else {
        if (resolved.size() >= RESOLVED_MAX) {
          resolved.clear();
        }
        resolved.put(name, m);
      }
    }
    return m;
  }

  /** A name resolved at a provider, both as the caller gave them. */
  private record At(String provider, String name) {}

  private final ConcurrentHashMap<At, Model> resolvedAt = new ConcurrentHashMap<>();

  /** A name that could not be resolved, to say so again without looking again. */
  private record Miss(String unknownModel, List<String> closeNames, String problem) {
    InputException error() {
      return unknownModel != null ? new UnknownModelException(unknownModel, closeNames)
          : new InputException(null, null, problem);
    }
  }

  private final ConcurrentHashMap<String, Miss> misses = new ConcurrentHashMap<>();

  /** {@link #resolve}, or empty when the name is unknown. */
  public Optional<Model> find(String name, String provider) {
    try {
      return Optional.of(resolve(name, provider));
    } catch (InputException e) {
      return Optional.empty();
    }
  }

  private Model resolveAnew(String name, String provider) {
    Optional<PricedModel> t = tables.find(name).filter(pm -> provider == null || pm.provider().equalsIgnoreCase(provider));
    if (t.isPresent()) {
      return fromTable(t.get());
    }
    boolean tableProvider = provider != null && tables.models().stream().anyMatch(pm -> pm.provider()
        .equalsIgnoreCase(provider));
    if (catalog != null && !(tableProvider && catalog.provider(provider).isEmpty())) {
      try {
        CatalogModel cm = catalog.require(name, provider);
        return fromCatalog(cm, name, provider);
      } catch (CatalogException e) {
        if (provider != null && catalog.provider(provider).isEmpty() && !tableProvider) {
          throw new InputException(null, null, "unknown provider \"" + provider + "\"; known: " + String.join(", ",
              providers()));
        }
        if (provider == null) {
          // no provider's rule claims the name: the providers whose price lists hold it
          List<CatalogProvider> holders = new ArrayList<>();
          for (CatalogProvider cp : catalog.providers()) {
            if (cp.models().stream().anyMatch(cm -> cm.matches(name))) {
              holders.add(cp);
            }
          }
          if (holders.size() == 1) {
            return fromCatalog(catalog.require(name, holders.get(0).id()), name, holders.get(0).id());
          }
          if (holders.size() > 1) {
            throw new InputException(null, null, "\"" + name + "\" is priced by several providers (" + String.join(", ",
                holders.stream().map(CatalogProvider::id).toList()) + "): give the provider (--provider ID)");
          }
        }
        // unknown there too: the error below, with the close names of every source
      }
    } else if (provider != null && !tableProvider) {
      throw new InputException(null, null, "unknown provider \"" + provider + "\"; known: " + String.join(", ",
          providers()));
    }
    if (provider != null) {
      Optional<Model> elsewhere = find(name, null);
      if (elsewhere.isPresent()) {
        throw new InputException(null, null, "\"" + name + "\" is not priced at " + provider + "; it is at "
            + elsewhere.get().provider() + " (give --provider " + elsewhere.get().provider() + ", or none)"
            + didYouMean(closeNames(name, provider)));
      }
    }
    throw new UnknownModelException(name, closeNames(name, provider));
  }

  private static String didYouMean(List<String> close) {
    return close.isEmpty() ? "" : "; at that provider: " + String.join(", ", close);
  }

  /** A model and what a usage costs there. */
  public record Priced(Model model, Cost cost) {}

  /**
   * What {@code usage} costs at each of {@code names} (each at {@code provider} when given), cheapest
   * first; costs in different currencies are never compared: they are grouped by currency code, each
   * group cheapest first.
   *
   * @throws InputException naming the first model that is unknown or cannot price the usage
   */
  public List<Priced> compare(List<String> names, String provider, dev.kopeck.pricing.usage.Usage usage,
      java.time.Instant at) {
    List<Priced> out = new ArrayList<>();
    for (String n : names) {
      Model m = resolve(n, provider);
      Cost c;
      try {
        c = m.price(usage, at);
      } catch (InputException e) {
        String what = m.id() + " at " + m.provider();
        throw new InputException(null, null, e.problem().startsWith(what) ? e.problem() : what + ": " + e.problem(), e);
      }
      out.add(new Priced(m, c));
    }
    out.sort(java.util.Comparator.comparing((Priced p) -> p.cost().currency().getCurrencyCode())
        .thenComparing(p -> p.cost().total().amount()));
    return List.copyOf(out);
  }

  /** The providers known: the tariff tables' and the catalog's ids. */
  public List<String> providers() {
    Set<String> out = new LinkedHashSet<>();
    tables.models().forEach(pm -> out.add(pm.provider()));
    if (catalog != null) {
      catalog.providers().forEach(cp -> out.add(cp.id()));
    }
    return List.copyOf(out);
  }

  /** The names closest to {@code name} in every source (at {@code provider} when given), at most five. */
  public List<String> closeNames(String name, String provider) {
    Set<String> names = new LinkedHashSet<>();
    for (PricedModel pm : tables.models()) {
      if (provider == null || pm.provider().equalsIgnoreCase(provider)) {
        names.add(pm.id());
        names.addAll(pm.info().aliases());
      }
    }
    if (catalog != null) {
      for (CatalogProvider cp : catalog.providers()) {
        if (provider == null || cp.id().equalsIgnoreCase(provider)) {
          cp.models().forEach(cm -> names.add(cm.id()));
        }
      }
    }
    return CloseNames.among(name.trim().toLowerCase(Locale.ROOT), names, 5);
  }

  private Model fromTable(PricedModel pm) {
    var info = pm.info();
    ModelFacts facts = ModelFacts.of(info.id());
    ModelTokenizer tok = info.tokenizer() != null ? ModelTokenizer.exact(info.id(), info.tokenizer(), "the tariff table")
        : Tokenizers.resolve(info.id());
    // what the table leaves out, Kopeck's model table may know (the router's Claude: Anthropic's media rules)
    MediaRules rules = info.mediaRules() != null ? MediaRules.require(info.mediaRules()) : facts.rules().orElse(null);
    Set<Modality> in = !info.inputModalities().isEmpty() ? Set.copyOf(info.inputModalities()) : facts.input();
    List<String> names = new ArrayList<>();
    names.add(info.id());
    names.addAll(info.aliases());
    Long out = info.outputTokenLimit() != null ? info.outputTokenLimit() : facts.output();
    String limits = info.outputTokenLimit() != null || facts.output() == null ? "the tariff table"
        : "the tariff table; the output limit: " + facts.source();
    return new Model(info.id(), pm.provider(), names, pm.latest().currency(), Cost.Source.TARIFF_TABLE, pm, null, null,
        null, null, info.inputTokenLimit(), out, limits, tok, rules, in);
  }

  private Model fromCatalog(CatalogModel cm, String name, String provider) {
    ModelFacts facts = ModelFacts.of(cm.id());
    if (facts == ModelFacts.UNKNOWN) {
      facts = ModelFacts.of(name);
    }
    Long context = facts.context() != null ? facts.context() : cm.contextWindow();
    String limits = facts.context() != null ? facts.source() : cm.contextWindow() != null
        ? "the catalog of public prices" : "not known";
    ModelTokenizer tok = Tokenizers.resolve(cm.id());
    MediaRules rules = facts.rules().orElse(null);
    return new Model(cm.id(), cm.provider(), List.of(cm.id()), catalog.currency(), Cost.Source.CATALOG, null, catalog,
        cm, name, provider, context, facts.output(), limits, tok, rules, facts.input());
  }
}
