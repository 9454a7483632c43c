package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.core.estimate.ChatRequest;
import dev.kopeck.core.estimate.ChatRequestParser;
import dev.kopeck.core.estimate.Estimate;
import dev.kopeck.tokens.Tokenizers;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "estimate", mixinStandardHelpOptions = true,
    description = {"Estimates a chat request before it is sent: input tokens by modality, output and cost"
        + " min/expected/max, and whether it fits the model's limits.",
      "Reads an OpenAI-compatible request (messages) or Gemini's native one (contents).",
      "Exit status 3 when the request does not fit the model's limits, or a part of it could not be measured (the"
          + " estimate is printed all the same)."})
final class EstimateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin Options.Tariffs tariffs;

  @Mixin Options.Model model;

  @Mixin Options.Calibrations calibration;

  @Mixin Options.Json json;

  @picocli.CommandLine.Option(names = "--currency", paramLabel = "CODE",
      description = "Also show the costs in this currency, converted exactly at the rate of --rates in force now.")
  String currency;

  @picocli.CommandLine.Option(names = "--rates", paramLabel = "FILE", description = "Exchange rates (docs/money.md).")
  java.nio.file.Path rates;

  @Mixin Options.Input input;

  /**
   * Loads the vocabulary of the tokenizer the model table gives the model {@code name} on a second
   * thread, while this one parses the request and the registry loads on a third: the estimate then
   * counts at once (docs/benchmarks.md, issue 33, fifth pass). Only a head start: the estimate
   * resolves its model and tokenizer from the parsed request, the options and the registry as
   * always, and a guess that names another tokenizer costs only the load.
   */
  private static void preload(String name) {
    if (name != null) {
      Background.loadVocabulary(() -> Tokenizers.resolve(name).counter());
    }
  }

  /**
   * The value of the first {@code "model"} key in a JSON text, or null: a request's model, read before
   * the request is parsed. Inside a JSON string a quote is escaped, so {@code "model"} followed by a
   * colon is a key (perhaps a nested one: then the guess only loads a vocabulary for nothing).
   */
  static String modelNamed(String json) {
    int at = 0;
    while ((at = json.indexOf("\"model\"", at)) >= 0) {
      int i = skipSpace(json, at + 7);
      if (i < json.length() && json.charAt(i) == ':') {
        i = skipSpace(json, i + 1);
        if (i < json.length() && json.charAt(i) == '"') {
          int end = json.indexOf('"', i + 1);
          String v = end < 0 ? null : json.substring(i + 1, end);
          return v == null || v.isBlank() || v.indexOf('\\') >= 0 ? null : v;
        }
        return null;
      }
      at += 7;
    }
    return null;
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  @Override
  public Integer call() {
    // the model registry and its tariff tables load while a large request is read and parsed (issue 33;
    // for a small one there is nothing to overlap)
    boolean large = Inputs.anyAtLeast(java.util.List.of(input.file), CountCommand.PRELOAD_BYTES);
    Thread registry = large ? Background.start("kopeck-registry", tariffs::registry) : null;
    if (large && model.model != null) {
      preload(model.model);
    }
    String text = input.text();
    if (large && model.model == null) {
      preload(modelNamed(text));
    }
    ChatRequest r = ChatRequestParser.parse(input.name(), text);
    if (registry != null) {
      Background.await(registry);
    }
    Estimate e;
    try {
      e = calibration.estimator(tariffs.registry()).estimate(r, model.model, model.provider, java.time.Instant.now());
    } catch (dev.kopeck.base.InputException x) {
      if (x.source() != null && x.source().startsWith("$")) {
        // a medium inside the request names its JSON path as its source: put the file before it
        throw new dev.kopeck.base.InputException(input.name(), x.source() + (x.location() == null ? ""
            : ", " + x.location()), x.problem(), x);
      }
      if (x.source() != null) {
        throw x;
      }
      // an error that does not know where it is (an unknown model): the file, and where the model came from
      throw new dev.kopeck.base.InputException(input.name(), x.location() != null ? x.location()
          : r.model() == null && model.model == null ? null : model.origin(r.model(), "$.model"), x.problem(), x);
    }
    PrintWriter out = spec.commandLine().getOut();
    dev.kopeck.pricing.money.ExchangeRates.Converted[] conv = null;
    if (currency != null) {
      java.util.Currency to = Options.currency("--currency", currency);
      dev.kopeck.pricing.money.ExchangeRates xr = rates == null ? dev.kopeck.pricing.money.ExchangeRates.none()
          : dev.kopeck.pricing.money.ExchangeRates.read(rates);
      java.time.Instant now = java.time.Instant.now();
      conv = new dev.kopeck.pricing.money.ExchangeRates.Converted[] {xr.convert(e.costMin(), to, now),
          xr.convert(e.costExpected(), to, now), xr.convert(e.costMax(), to, now)};
    }
    if (json.json) {
      ObjectNode o = toJson(e, calibration.calibrates(e.model()));
      if (conv != null) {
        ObjectNode c = o.putObject("converted");
        c.put("currency", conv[2].amount().currency().getCurrencyCode());
        c.put("min", conv[0].amount().toPlainString());
        c.put("expected", conv[1].amount().toPlainString());
        c.put("max", conv[2].amount().toPlainString());
        if (conv[2].rate() != null) {
          c.put("rate", conv[2].rate().rate().toPlainString());
          c.put("rate_date", conv[2].rate().date().toString());
        }
      }
      out.println(Output.json(o));
      return e.fits() ? Main.OK : Main.DOES_NOT_FIT;
    }
    String cur = e.costMax().currency().getCurrencyCode();
    out.printf("%s at %s: %s (text %,d, image %,d, audio %,d, video %,d, document %,d)%n", e.model(), e.provider(),
        Output.count(e.input().total(), "input token"), e.input().text(), e.input().image(), e.input().audio(), e.input().video(), e.input().document());
    out.printf("text: %s%s%n", calibration.calibrates(e.model()) ? "calibrated (" + e.tokenizer().tokenizer()
        + " count, ratio and message overhead from --calibration)" : e.tokenizer().exact() ? "exact ("
        + e.tokenizer().tokenizer() + ")" : e.tokenizer().label(),
        e.tokenizer().exact() ? ""
        : "; the most it can cost counts " + String.format("%,d", e.textSlack()) + " more text tokens");
    out.printf("output: expected %,d, at most %,d tokens%n", e.outputExpected(), e.outputMax());
    out.printf("cost: at least %s, expected %s, at most %s %s%n", e.costMin().toPlainString(),
        e.costExpected().toPlainString(), e.costMax().toPlainString(), cur);
    if (conv != null) {
      out.printf("in %s: at least %s, expected %s, at most %s%s%n", conv[2].amount().currency().getCurrencyCode(),
          conv[0].amount().toPlainString(), conv[1].amount().toPlainString(), conv[2].amount().toPlainString(),
          conv[2].rate() == null ? "" : " (at " + conv[2].rate().rate().toPlainString() + " of " + conv[2].rate().date()
              + ")");
    }
    String verdict = e.fits() ? "fits" : e.unmeasuredParts() > 0 ? "CANNOT TELL: " + e.misfit()
        : "DOES NOT FIT: " + e.misfit();
    if (e.contextLimit() == Long.MAX_VALUE) {
      out.printf("context: %,d input tokens (the context window is not known); %s%n", e.input().total(), verdict);
    } else {
      out.printf("context: %,d of %,d input tokens (%,d left); %s%n", e.input().total(), e.contextLimit(),
          e.contextRemaining(), verdict);
    }
    for (String w : e.warnings()) {
      out.println("note: " + w);
    }
    return e.fits() ? Main.OK : Main.DOES_NOT_FIT;
  }

  static ObjectNode toJson(Estimate e, boolean calibrated) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("model", e.model());
    o.put("provider", e.provider());
    o.put("currency", e.costMax().currency().getCurrencyCode());
    ObjectNode in = o.putObject("input");
    in.put("text", e.input().text());
    in.put("image", e.input().image());
    in.put("audio", e.input().audio());
    in.put("video", e.input().video());
    in.put("document", e.input().document());
    in.put("total", e.input().total());
    in.put("tools_and_schema", e.toolTokens());
    in.put("tool_choice", e.toolChoiceTokens());
    in.put("chat_overhead", e.overheadTokens());
    in.put("images", e.images());
    ObjectNode oc = o.putObject("chat_overhead_count");
    oc.put("count", e.overheadCount());
    oc.put("rule", e.overheadRule());
    ObjectNode tc = o.putObject("text_count");
    tc.put("tokenizer", e.tokenizer().tokenizer());
    tc.put("count", calibrated ? "calibrated" : e.tokenizer().exact() ? "exact" : "estimate");
    tc.put("ratio", e.tokenizer().ratio().toPlainString());
    tc.put("bound", e.tokenizer().bound().toPlainString());
    tc.put("max_extra_tokens", e.textSlack());
    ObjectNode out = o.putObject("output");
    out.put("min", 0);
    out.put("expected", e.outputExpected());
    out.put("max", e.outputMax());
    ObjectNode cost = o.putObject("cost");
    cost.put("min", e.costMin().toPlainString());
    cost.put("expected", e.costExpected().toPlainString());
    cost.put("max", e.costMax().toPlainString());
    ObjectNode ctx = o.putObject("context");
    if (e.contextLimit() == Long.MAX_VALUE) {
      ctx.putNull("limit");
      ctx.put("used", e.input().total());
      ctx.putNull("remaining");
    } else {
      ctx.put("limit", e.contextLimit());
      ctx.put("used", e.input().total());
      ctx.put("remaining", e.contextRemaining());
    }
    if (e.outputLimit() == Long.MAX_VALUE) {
      ctx.putNull("output_limit");
    } else {
      ctx.put("output_limit", e.outputLimit());
    }
    ctx.put("requested_output", e.requestedOutput());
    ctx.put("fits", e.fits());
    if (e.misfit() != null) {
      ctx.put("does_not_fit", e.misfit());
    }
    ctx.put("unmeasured_parts", e.unmeasuredParts());
    ArrayNode w = o.putArray("warnings");
    e.warnings().forEach(w::add);
    return o;
  }
}
