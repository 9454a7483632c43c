package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.base.InputException;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Conversation;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.model.Model;
import dev.kopeck.core.model.ModelRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "fit", mixinStandardHelpOptions = true,
    description = {"Trims a chat request to fit the model's input limit with room for the output: drops the oldest"
        + " turns (keeping the system prompt and the newest user turn), then cuts the longest text at a token boundary.",
      "Prints the request as it will be sent; what was dropped goes to stderr (with --json, both in one object)."})
final class FitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Option(names = "--max-output", paramLabel = "N", required = true, description = "Output tokens to leave room for.")
  long maxOutput;

  @Mixin Options.Model model;

  @Option(names = "--limit", paramLabel = "N", description = "An input limit below the model's (a budget of your own).")
  Long limit;

  @Mixin Options.Json json;

  @Mixin Options.Input input;

  @Override
  public Integer call() {
    if (maxOutput < 0) {
      throw new InputException(null, "--max-output", "must not be negative: " + maxOutput);
    }
    ChatRequest r = ChatRequestParser.parse(input.name(), input.text());
    ModelRegistry registry = tariffs.registry();
    Estimator est = Estimator.builder().registry(registry).build();
    String name;
    Model pm;
    try {
      name = model.or(registry, r.model());
      pm = registry.resolve(name, model.provider);
    } catch (InputException e) {
      throw new InputException(input.name(), r.model() == null && model.model == null ? null
          : model.origin(r.model(), "$.model"), e.problem(), e);
    }
    Long window = pm.contextWindow().orElse(null);
    if (window == null && limit == null) {
      throw new InputException(null, "--limit", "the context window of " + pm.id() + " is not known: give the input"
          + " limit to fit to (--limit N)");
    }
    long inputLimit = limit != null ? (window == null ? limit : Math.min(limit, window)) : window;
    Long outputLimit = pm.outputLimit().orElse(null);
    if (outputLimit != null && maxOutput > outputLimit) {
      throw new InputException(null, "--max-output", String.format(java.util.Locale.ROOT, "%,d is more than %s's"
          + " output limit (%,d tokens)", maxOutput, pm.id(), outputLimit));
    }
    long asked = maxOutput;
    if (r.maxOutputTokens() != null && r.maxOutputTokens() * r.n() > maxOutput) {
      // the request itself may produce more than --max-output: the room left is for what it may produce, or the
      // request printed would not fit the limit after all
      maxOutput = r.maxOutputTokens() * r.n();
    }
    if (maxOutput >= inputLimit) {
      throw new InputException(null, "--max-output", String.format(java.util.Locale.ROOT, "%,d leaves no room for"
          + " input under the input limit of %,d tokens", maxOutput, inputLimit));
    }
    Conversation c = est.conversation(r, name, model.provider);
    Conversation.Fit fit = c.fitTo(inputLimit - maxOutput);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (json.json) {
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      o.putRawValue("request", new com.fasterxml.jackson.databind.util.RawValue(fit.request()));
      o.putPOJO("dropped", fit.dropped());
      o.put("before", fit.before());
      o.put("after", fit.after());
      o.put("budget", fit.budget());
      o.put("fits", fit.fits());
      ObjectNode room = o.putObject("room");
      room.put("system_prompt", fit.room().systemPrompt());
      room.put("messages", fit.room().messages());
      room.put("media", fit.room().media());
      room.put("tools", fit.room().tools());
      out.println(Output.json(o));
    } else if (fit.fits()) {
      out.println(fit.request()); // a request that still does not fit is not printed as if it could be sent
      fit.dropped().forEach(d -> err.println("kopeck fit: " + d));
      err.printf("kopeck fit: %,d -> %,d input tokens, budget %,d (%,d input limit - %,d output%s)%n", fit.before(),
          fit.after(), fit.budget(), inputLimit, maxOutput, asked == maxOutput ? ""
              : ": the request's own max_tokens, more than --max-output " + String.format(java.util.Locale.ROOT, "%,d",
                  asked));
    }
    out.flush();
    err.flush();
    if (!fit.fits()) {
      // one line: what is left, the limit it is over, and what takes the room
      throw new InputException(input.name(), null, String.format(java.util.Locale.ROOT, "cannot fit: %,d input"
          + " tokens remain after trimming, over the budget of %,d (%s - %,d output%s); %s", fit.after(),
          fit.budget(), limitName(pm.id(), window, inputLimit), maxOutput, asked == maxOutput ? ""
              : ", the request's own max_tokens", takes(fit.room())));
    }
    return Main.OK;
  }

  /** The limit fitted to: --limit's, or the model's context window. */
  private String limitName(String model, Long window, long inputLimit) {
    return limit != null && (window == null || limit < window)
        ? String.format(java.util.Locale.ROOT, "--limit %,d", inputLimit)
        : String.format(java.util.Locale.ROOT, "%s's input limit %,d", model, inputLimit);
  }

  /** What takes the room, the largest part first: "the room is taken by the system prompt 1,200 (never cut), ...". */
  static String takes(Conversation.Room room) {
    record Part(String name, long tokens, boolean cut) {}
    List<Part> parts = new java.util.ArrayList<>(List.of(new Part("the system prompt", room.systemPrompt(), false),
        new Part("the messages kept", room.messages(), true), new Part("media", room.media(), false),
        new Part("tool declarations and schema", room.tools(), false)));
    parts.removeIf(p -> p.tokens() == 0);
    parts.sort(java.util.Comparator.comparingLong(Part::tokens).reversed());
    StringBuilder b = new StringBuilder("the room is taken by ");
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      b.append(i == 0 ? "" : ", ").append(p.name()).append(' ')
          .append(String.format(java.util.Locale.ROOT, "%,d", p.tokens())).append(p.cut() ? "" : " (never cut)");
    }
    return b.toString();
  }
}
