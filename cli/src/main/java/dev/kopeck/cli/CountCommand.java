package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.core.InputException;
import dev.kopeck.core.Utf8;
import dev.kopeck.tariff.PricedModel;
import dev.kopeck.tokens.TokenCounter;
import dev.kopeck.tokens.Tokenizers;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "count",
    mixinStandardHelpOptions = true,
    description = {
      "Counts the tokens of each file, offline, with the model's tokenizer.",
      "A file that cannot be read is reported on stderr and the others are still counted;"
          + " the exit code is then 2."
    })
final class CountCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TariffOptions tariffOptions;

  static final class Choice {
    @Option(names = "--model", paramLabel = "ID",
        description = "Count as this model does; default " + CostCommand.DEFAULT_MODEL + ".")
    String model;

    @Option(names = "--tokenizer", paramLabel = "ID",
        description = "Count with this tokenizer: gemma3, gemma, o200k_base, cl100k_base.")
    String tokenizer;
  }

  @ArgGroup(exclusive = true)
  Choice choice = new Choice();

  @Option(names = "--json", description = "One JSON object per file and line: file, modality, tokens.")
  boolean json;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to count; - for standard input.")
  List<String> files;

  InputStream stdin = System.in;

  @Override
  public Integer call() {
    TokenCounter counter = counter();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long total = 0;
    int failed = 0;
    for (String f : files) {
      int tokens;
      try {
        String text = Utf8.decode(Inputs.name(f), Inputs.bytes(f, stdin));
        tokens = counter.count(text);
      } catch (InputException e) {
        err.println("kopeck count: " + e.getMessage());
        failed++;
        continue;
      }
      total += tokens;
      if (json) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("file", Inputs.name(f));
        o.put("modality", "text");
        o.put("tokens", tokens);
        o.put("tokenizer", counter.id());
        out.println(Output.json(o));
      } else {
        out.printf("%10d  %s%n", tokens, Inputs.name(f));
      }
    }
    if (!json && files.size() > 1) {
      out.printf("%10d  total (%s)%n", total, counter.id());
    }
    out.flush();
    err.flush();
    return failed == 0 ? Main.OK : Main.BAD_INPUT;
  }

  private TokenCounter counter() {
    if (choice.tokenizer != null) {
      return Tokenizers.require(choice.tokenizer);
    }
    String model = choice.model != null ? choice.model : CostCommand.DEFAULT_MODEL;
    Optional<PricedModel> pm = tariffOptions.catalog().find(model);
    if (pm.isPresent()) {
      return Tokenizers.require(pm.get().info().tokenizer());
    }
    return Tokenizers.forModel(model).orElseThrow(() -> new InputException(null, null,
        "no tokenizer known for model \"" + model + "\"; name one with --tokenizer (gemma3, gemma, o200k_base,"
            + " cl100k_base) or add the model to a tariff table"));
  }
}
