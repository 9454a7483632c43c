package dev.kopeck.core.estimate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.base.InputException;
import dev.kopeck.pricing.json.Json;
import dev.kopeck.pricing.json.Node;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What reconciliation learned about a model's real usage ({@code kopeck reconcile --calibrate}),
 * for the estimator to use: how far text counts run from billed ones, the overhead per message,
 * and the distribution of output tokens. The file format is in docs/estimate.md.
 */
public final class Calibration {
  public static final int FORMAT = 1;

  /**
   * Learned facts of one model.
   *
   * @param calls how many reconciled calls taught it
   * @param textRatio billed text tokens over counted ones (1.0 when exact)
   * @param messageOverhead billed tokens per message beyond its content
   * @param outputP50 the median output of a call
   * @param outputP95 the 95th percentile output of a call
   * @param textBound the largest relative error of the calibrated text count seen on held-out calls
   *     (0.12: within ±12%), or null when none was held out; the estimate's maximum uses it
   */
  public record Model(long calls, BigDecimal textRatio, BigDecimal messageOverhead, long outputP50, long outputP95,
      BigDecimal textBound) {
    public Model(long calls, BigDecimal textRatio, BigDecimal messageOverhead, long outputP50, long outputP95) {
      this(calls, textRatio, messageOverhead, outputP50, outputP95, null);
    }
  }

  private final Map<String, Model> models;

  private Calibration(Map<String, Model> models) {
    this.models = Map.copyOf(models);
  }

  public static Calibration empty() {
    return new Calibration(Map.of());
  }

  public static Calibration of(Map<String, Model> models) {
    Map<String, Model> m = new HashMap<>();
    models.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
    return new Calibration(m);
  }

  public Optional<Model> find(String model) {
    return Optional.ofNullable(models.get(model.toLowerCase(Locale.ROOT)));
  }

  public Map<String, Model> models() {
    return models;
  }

  public static Calibration read(Path file) {
    String text;
    try {
      text = dev.kopeck.base.Utf8.decode(file.toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw InputException.unreadable(file.toString(), e);
    }
    return parse(file.toString(), text);
  }

  public static Calibration parse(String source, String text) {
    JsonNode tree = Json.parse(source, text);
    Node root = Node.root(source, tree).requireObject();
    root.rejectUnknownFields(Set.of("kopeck_calibration_format", "models", "note"));
    if (root.require("kopeck_calibration_format").wholeNumber() != FORMAT) {
      throw root.get("kopeck_calibration_format").error("unsupported format; this Kopeck reads " + FORMAT);
    }
    Map<String, Model> out = new HashMap<>();
    for (Map.Entry<String, Node> e : root.require("models").fields()) {
      Node m = e.getValue().requireObject();
      m.rejectUnknownFields(Set.of("calls", "text_ratio", "message_overhead", "output_p50", "output_p95", "text_bound"));
      BigDecimal ratio = m.require("text_ratio").decimal();
      if (ratio.signum() <= 0) {
        throw m.get("text_ratio").error("must be positive");
      }
      BigDecimal overhead = m.require("message_overhead").decimal();
      if (overhead.signum() < 0) {
        throw m.get("message_overhead").error("must not be negative");
      }
      BigDecimal bound = null;
      if (m.has("text_bound")) {
        bound = m.get("text_bound").decimal();
        if (bound.signum() < 0) {
          throw m.get("text_bound").error("must not be negative");
        }
      }
      out.put(e.getKey().toLowerCase(Locale.ROOT), new Model(m.require("calls").count(), ratio, overhead,
          m.require("output_p50").count(), m.require("output_p95").count(), bound));
    }
    return new Calibration(out);
  }

  /** The JSON form, as {@link #parse} reads it. */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\n  \"kopeck_calibration_format\": 1,\n  \"models\": {");
    boolean first = true;
    for (Map.Entry<String, Model> e : new java.util.TreeMap<>(models).entrySet()) {
      Model m = e.getValue();
      sb.append(first ? "\n" : ",\n");
      first = false;
      sb.append(String.format(Locale.ROOT,
          "    \"%s\": {\"calls\": %d, \"text_ratio\": \"%s\", \"message_overhead\": \"%s\", \"output_p50\": %d, \"output_p95\": %d%s}",
          e.getKey().replace("\"", "\\\""), m.calls(), m.textRatio().toPlainString(), m.messageOverhead().toPlainString(),
          m.outputP50(), m.outputP95(), m.textBound() == null ? ""
              : ", \"text_bound\": \"" + m.textBound().toPlainString() + "\""));
    }
    return sb.append("\n  }\n}\n").toString();
  }
}
