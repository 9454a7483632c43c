package dev.kopeck.cli;

import dev.kopeck.core.estimate.Calibration;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.model.ModelRegistry;
import dev.kopeck.pricing.tariff.TariffTables;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options several commands share, each written once as a picocli mixin. */
final class Options {
  private Options() {}

  /**
   * The user's tariff tables on top of the bundled ones: the folder {@code kopeck/tariffs} in the
   * user's configuration folder ({@code $XDG_CONFIG_HOME}, else {@code ~/.config}) when it exists,
   * then those the environment variable {@code KOPECK_TARIFFS} lists (files or folders, separated as
   * the system separates paths, ':' on Linux), then {@code --tariff FILE|FOLDER}, repeatable; a
   * later one wins.
   */
  static final class Tariffs {
    static final String ENV = "KOPECK_TARIFFS";

    // the descriptions are constants: count's command line is built without annotations (CountCommand.commandLine)
    static final String TARIFF_HELP = "A tariff table (or a folder of *.json tables) loaded on top of the bundled ones"
        + " and those in ~/.config/kopeck/tariffs and $KOPECK_TARIFFS; repeatable.";
    static final String DEFAULT_MODEL_HELP = "The model of inputs that name none (default: $" + Tariffs.DEFAULT_MODEL_ENV
        + "; without either, such an input is refused rather than priced as a guessed model).";
    static final String CATALOG_HELP = "Resolve and price models with this catalog data (genai-prices' published"
        + " data.json, checked as kopeck catalog update checks it, kept nowhere) instead of the catalog in force (the"
        + " newest kopeck catalog update, else the bundled snapshot).";

    @Option(names = "--tariff", paramLabel = "FILE|DIR", description = TARIFF_HELP)
    List<Path> tariffs = new ArrayList<>();

    @Option(names = "--default-model", paramLabel = "ID", description = DEFAULT_MODEL_HELP)
    String defaultModel;

    @Option(names = "--catalog", paramLabel = "FILE|URL", description = CATALOG_HELP)
    String catalogData;

    /** The environment (a field, so tests give their own). */
    java.util.Map<String, String> env = System.getenv();

    /** The environment variable that names a default model for inputs that name none. */
    static final String DEFAULT_MODEL_ENV = "KOPECK_DEFAULT_MODEL";

    private TariffTables tables;
    private ModelRegistry registry;

    /**
     * The models every command resolves names with: these tariff tables over the catalog of public
     * prices, and the default model of {@code $KOPECK_DEFAULT_MODEL} when it is set. Built once.
     */
    ModelRegistry registry() {
      if (registry == null) {
        ModelRegistry.Builder b = ModelRegistry.builder().tariffs(tables());
        if (catalogData != null) {
          try {
            b.catalog(dev.kopeck.pricing.catalog.CatalogStore.standard().read(catalogData));
          } catch (dev.kopeck.base.InputException e) {
            throw e.source() != null ? e : new dev.kopeck.base.InputException(null, "--catalog", e.problem(), e);
          }
        }
        String dflt = defaultModel != null ? defaultModel : env.get(DEFAULT_MODEL_ENV);
        if (dflt != null && !dflt.isBlank()) {
          try {
            b.defaultModel(dflt);
            registry = b.build();
          } catch (dev.kopeck.base.InputException e) {
            throw new dev.kopeck.base.InputException(null, defaultModel != null ? "--default-model"
                : "$" + DEFAULT_MODEL_ENV, e.problem(), e);
          }
        } else {
          registry = b.build();
        }
      }
      return registry;
    }

    /** The tariff tables, built once per command. */
    TariffTables tables() {
      if (tables == null) {
        List<Path> all = new ArrayList<>();
        configFolder().filter(java.nio.file.Files::isDirectory).ifPresent(all::add);
        String fromEnv = env.get(ENV);
        if (fromEnv != null) {
          for (String p : fromEnv.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
            if (!p.isBlank()) {
              all.add(Path.of(p.trim()));
            }
          }
        }
        all.addAll(tariffs);
        if (all.isEmpty()) {
          tables = TariffTables.bundled();
        } else {
          TariffTables.Builder b = TariffTables.builder().addBundled();
          all.forEach(b::addPath);
          tables = b.build();
        }
      }
      return tables;
    }

    /** {@code $XDG_CONFIG_HOME/kopeck/tariffs}, else {@code $HOME/.config/kopeck/tariffs}. */
    java.util.Optional<Path> configFolder() {
      String xdg = env.get("XDG_CONFIG_HOME");
      if (xdg != null && !xdg.isBlank()) {
        return java.util.Optional.of(Path.of(xdg, "kopeck", "tariffs"));
      }
      String home = env.get("HOME");
      return home == null || home.isBlank() ? java.util.Optional.empty()
          : java.util.Optional.of(Path.of(home, ".config", "kopeck", "tariffs"));
    }
  }

  /** {@code --model ID} and {@code --provider ID}: the model to use instead of the one the input names, and where. */
  static final class Model {
    @Option(names = "--model", paramLabel = "ID",
        description = "The model; default: the one the input names, else $" + Tariffs.DEFAULT_MODEL_ENV
            + " when set. An input that names none, without either, is refused.")
    String model;

    @Option(names = "--provider", paramLabel = "ID",
        description = "Where the model is priced: a provider of the catalog of public prices (openai, anthropic,"
            + " google, groq, deepseek, ... as kopeck models lists) or of a tariff table (routerai); default: the"
            + " tariff tables' provider of the model, else the catalog's by the model's name.")
    String provider;

    /** The model chosen: this option, else {@code named} (what the input names), else the configured default. */
    String or(ModelRegistry registry, String named) {
      return registry.choose(model, named);
    }

    /** Where the model {@link #or} chose came from, for an error: this option, the input's {@code field}, or the default. */
    String origin(String named, String field) {
      return model != null ? "--model" : named != null ? field : "$" + Tariffs.DEFAULT_MODEL_ENV;
    }
  }

  /** {@code --calibration FILE}: what {@code kopeck reconcile --calibrate} learned. */
  static final class Calibrations {
    @Option(names = "--calibration", paramLabel = "FILE",
        description = "What kopeck reconcile --calibrate learned (expected output, text ratio, message overhead).")
    Path calibration;

    private Calibration loaded;

    /** An estimator on {@code registry}, calibrated when the option is given. */
    Estimator estimator(ModelRegistry registry) {
      return Estimator.builder().registry(registry).calibration(calibration()).build();
    }

    /** The calibration given, or the empty one. */
    Calibration calibration() {
      if (loaded == null) {
        loaded = calibration == null ? Calibration.empty() : Calibration.read(calibration);
      }
      return loaded;
    }

    /** The model's count is calibrated: the calibration given has learned it. */
    boolean calibrates(String model) {
      return calibration().find(model).isPresent();
    }
  }

  /** {@code --json}: JSON instead of text. */
  static final class Json {
    @Option(names = "--json", description = "Print JSON instead of text: one object (per file or record).")
    boolean json;
  }

  /** The one input file of a command, {@code -} for standard input. */
  static final class Input {
    @Parameters(paramLabel = "FILE|-", description = "The input file; - for standard input.")
    String file;

    InputStream stdin = System.in;

    /** How errors name the input: the path, or {@code <stdin>}. */
    String name() {
      return Inputs.name(file);
    }

    /** The input as text, strictly UTF-8. */
    String text() {
      return Inputs.text(file, stdin);
    }
  }

  /** A date ({@code 2025-02-05}, the start of that day in UTC) or an instant ({@code 2025-02-05T12:00:00Z}). */
  static final class DateOrInstant implements picocli.CommandLine.ITypeConverter<java.time.Instant> {
    @Override
    public java.time.Instant convert(String value) {
      String v = value.trim();
      try {
        return v.length() == 10 ? java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
            : java.time.Instant.parse(v);
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "expected a date (2025-02-05) or an instant (2025-02-05T12:00:00Z), found \"" + value + "\"");
      }
    }
  }

  /** A currency code given on the command line, or an error naming the option. */
  static java.util.Currency currency(String option, String code) {
    try {
      return java.util.Currency.getInstance(code.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new dev.kopeck.base.InputException(null, option, "not an ISO 4217 currency code: \"" + code + "\"");
    }
  }

  /** {@code "converted": {"currency", "total", "rate", "rate_date"}}: a price in another currency. */
  static void putConverted(com.fasterxml.jackson.databind.node.ObjectNode o,
      dev.kopeck.pricing.money.ExchangeRates.Converted c) {
    com.fasterxml.jackson.databind.node.ObjectNode x = o.putObject("converted");
    x.put("currency", c.amount().currency().getCurrencyCode());
    x.put("total", c.amount().toPlainString());
    if (c.rate() != null) {
      x.put("rate", c.rate().rate().toPlainString());
      x.put("rate_date", c.rate().date().toString());
    }
  }
}
