package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.pricing.catalog.CatalogStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "catalog", mixinStandardHelpOptions = true,
    description = "The catalog of public prices: which data is in force, and updating it without a release.",
    subcommands = {CatalogCommand.Update.class, CatalogCommand.Info.class})
final class CatalogCommand {
  /** Where the kept catalog is. */
  static final class Store {
    @Option(names = "--cache", paramLabel = "DIR",
        description = "The cache folder (default: $KOPECK_CACHE, else ~/.cache/kopeck); the catalog is kept in its"
            + " catalog/ folder.")
    Path cache;

    CatalogStore store() {
      return cache != null ? CatalogStore.at(cache.resolve("catalog")) : CatalogStore.standard();
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = {"Fetches the catalog data genai-prices publishes (or reads it from --from), checks it (every"
          + " price parses, every set of prices can price, every model resolves) and keeps it as the data in force"
          + " for every command. Data older than the data in force, or damaged, is refused and the data in force"
          + " stays. The only command that uses the network, and only when run."})
  static final class Update implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Store store;

    @Option(names = "--from", paramLabel = "URL|FILE",
        description = "Where to take the data from (default: " + CatalogStore.PUBLISHED + ").")
    String from = CatalogStore.PUBLISHED;

    @Option(names = "--json", description = "Print what is in force as JSON.")
    boolean json;

    @Override
    public Integer call() {
      CatalogStore s = store.store();
      print(spec.commandLine().getOut(), s.update(from), json, "updated: ");
      return Main.OK;
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "Says which catalog data is in force: the kept update, or the bundled snapshot.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Store store;

    @Option(names = "--json", description = "As JSON.")
    boolean json;

    @Override
    public Integer call() {
      print(spec.commandLine().getOut(), store.store().inForceInfo(), json, "in force: ");
      return Main.OK;
    }
  }

  static void print(PrintWriter out, CatalogStore.Info i, boolean json, String lead) {
    if (json) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.put("source", i.source());
      o.put("bundled", i.bundled());
      o.put("prices_as_of", i.pricesAsOf() == null ? null : i.pricesAsOf().toString());
      o.put("taken", i.taken() == null ? null : i.taken().toString());
      o.put("sha256", i.sha256());
      o.put("file", i.file() == null ? null : i.file().toString());
      o.put("providers", i.providers());
      o.put("models", i.models());
      out.println(o);
      return;
    }
    out.println(lead + i.source() + (i.bundled() ? " (the bundled snapshot)" : ""));
    out.println("prices as of: " + (i.pricesAsOf() == null ? "undated" : i.pricesAsOf()) + "; "
        + Output.count(i.providers(), "provider") + ", " + Output.count(i.models(), "model"));
    if (!i.bundled()) {
      out.println("taken: " + i.taken() + ", kept in " + i.file() + " (sha256 " + i.sha256() + ")");
    }
  }
}
