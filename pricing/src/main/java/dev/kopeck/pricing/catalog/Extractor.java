package dev.kopeck.pricing.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.pricing.json.Node;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one provider's API flavour reports usage, as genai-prices' data says: where the usage object
 * is ({@code root}), where the model name is, and which fields add up to which usage key. A path is
 * field names, and may pick an element of an array by one of its fields ({@code array-match}).
 */
final class Extractor {
  /** A step of a path: a field name, or the first array element whose {@code field} matches. */
  sealed interface Step {}

  record Field(String name) implements Step {}

  record ArrayMatch(String field, Match match) implements Step {}

  record Mapping(List<Step> path, String dest, boolean required) {}

  final String flavor;
  private final List<Step> root;
  private final List<Step> modelPath;
  private final List<Mapping> mappings;

  private Extractor(String flavor, List<Step> root, List<Step> modelPath, List<Mapping> mappings) {
    this.flavor = flavor;
    this.root = root;
    this.modelPath = modelPath;
    this.mappings = mappings;
  }

  static Extractor read(Node e, Units units) {
    e.requireObject();
    List<Mapping> mappings = new ArrayList<>();
    for (Node m : e.require("mappings").elements()) {
      String dest = m.require("dest").nonBlankText();
      if (units.byUsageKey(dest) == null) {
        throw new CatalogException(m.source(), m.pathOf("dest"), "unknown usage key \"" + dest + "\"");
      }
      mappings.add(new Mapping(path(m.require("path")), dest, m.has("required") && m.get("required").json().asBoolean()));
    }
    return new Extractor(e.require("api_flavor").nonBlankText(), path(e.require("root")), path(e.require("model_path")),
        List.copyOf(mappings));
  }

  private static List<Step> path(Node p) {
    List<Step> out = new ArrayList<>();
    if (p.json().isTextual()) {
      out.add(new Field(p.text()));
      return out;
    }
    for (Node s : p.elements()) {
      if (s.json().isTextual()) {
        out.add(new Field(s.text()));
      } else {
        out.add(new ArrayMatch(s.require("field").nonBlankText(), Match.read(s.require("match"))));
      }
    }
    if (out.isEmpty() || !(out.get(out.size() - 1) instanceof Field)) {
      throw p.error("a path ends with a field name");
    }
    return List.copyOf(out);
  }

  /** Reads the usage and model of a response; a required field missing, or no usage at all, is an error there. */
  ExtractedUsage extract(Units units, Node response) {
    if (!response.isObject()) {
      throw response.error("expected the response object, found " + Node.describe(response.json()));
    }
    String model = null;
    JsonNode m = walk(modelPath, response, false);
    if (m != null && m.isTextual()) {
      model = m.textValue();
    }
    JsonNode rootNode = walk(root, response, true);
    if (rootNode == null || !rootNode.isObject()) {
      throw new CatalogException(response.source(), path(response.path(), root),
          "expected the usage object, found " + Node.describe(rootNode));
    }
    Node usage = Node.at(response.source(), path(response.path(), root), rootNode);
    Map<String, BigDecimal> counts = new TreeMap<>();
    int reported = 0;
    for (Mapping map : mappings) {
      if (!units.isReported(map.dest)) {
        continue;
      }
      reported++;
      JsonNode v = walk(map.path, usage, map.required);
      if (v == null) {
        continue;
      }
      String where = path(usage.path(), map.path);
      if (!v.isNumber()) {
        if (map.required) {
          throw new CatalogException(response.source(), where, "expected a number, found " + Node.describe(v));
        }
        continue;
      }
      BigDecimal n = v.decimalValue();
      if (n.signum() < 0) {
        throw new CatalogException(response.source(), where, "negative count " + n.toPlainString());
      }
      counts.merge(map.dest, n, BigDecimal::add);
    }
    if (reported > 0 && counts.isEmpty()) {
      throw new CatalogException(response.source(), usage.path(), "no usage information found");
    }
    return new ExtractedUsage(model, new UnitUsage(counts));
  }

  /** The value at {@code path} under {@code from}, or null; with {@code required}, a missing step is an error naming it. */
  private static JsonNode walk(List<Step> path, Node from, boolean required) {
    JsonNode cur = from.json();
    StringBuilder where = new StringBuilder(from.path());
    for (Step s : path) {
      if (s instanceof Field f) {
        where.append('.').append(f.name());
        if (cur == null || !cur.isObject()) {
          return fail(required, from, where, "expected an object above it");
        }
        cur = cur.get(f.name());
        if (cur == null || cur.isNull()) {
          return fail(required, from, where, "required field is missing");
        }
      } else {
        ArrayMatch a = (ArrayMatch) s;
        where.append("[").append(a.field()).append(" matching]");
        if (cur == null || !cur.isArray()) {
          return fail(required, from, where, "expected an array");
        }
        JsonNode found = null;
        for (JsonNode el : cur) {
          JsonNode f = el.get(a.field());
          if (f != null && f.isTextual() && a.match().test(f.textValue().toLowerCase(java.util.Locale.ROOT))) {
            found = el;
            break;
          }
        }
        if (found == null) {
          return fail(required, from, where, "no element matches");
        }
        cur = found;
      }
    }
    return cur;
  }

  private static JsonNode fail(boolean required, Node from, StringBuilder where, String problem) {
    if (required) {
      throw new CatalogException(from.source(), where.toString(), problem);
    }
    return null;
  }

  private static String path(String base, List<Step> steps) {
    StringBuilder sb = new StringBuilder(base);
    for (Step s : steps) {
      sb.append('.').append(s instanceof Field f ? f.name() : ((ArrayMatch) s).field());
    }
    return sb.toString();
  }
}
