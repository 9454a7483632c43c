package dev.kopeck.pricing.tariff;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kopeck.base.InputException;
import dev.kopeck.base.Modality;
import dev.kopeck.pricing.json.Json;
import dev.kopeck.base.internal.Names;
import dev.kopeck.pricing.json.Node;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads and validates one tariff table (see docs/tariffs.md for the format). */
final class TariffReader {
  static final int FORMAT = 1;

  private static final Set<String> FILE_FIELDS = Set.of("kopeck_tariff_format", "provider", "currency", "note", "models");
  private static final Set<String> MODEL_FIELDS = Set.of(
      "id", "aliases", "input_token_limit", "output_token_limit", "tokenizer", "media_rules", "modalities", "tariffs");
  private static final Set<String> TARIFF_FIELDS = Set.of("effective_from", "currency", "rates", "tiers", "note",
      "unlisted");
  private static final Set<String> TIER_FIELDS = Set.of("above_input_tokens", "rates", "unlisted");
  private static final Set<String> RATE_FIELDS = Set.of("price", "per", "unit");

  private TariffReader() {}

  static List<PricedModel> read(String source, String json) {
    JsonNode tree;
    try {
      tree = Json.parse(source, json);
    } catch (InputException e) {
      throw new TariffException(e.source(), e.location(), e.problem(), e);
    }
    try {
      return read(Node.root(source, tree));
    } catch (TariffException e) {
      throw e;
    } catch (InputException e) {
      throw new TariffException(e.source(), e.location(), e.problem(), e);
    }
  }

  private static List<PricedModel> read(Node root) {
    root.requireObject().rejectUnknownFields(FILE_FIELDS);
    Node format = root.require("kopeck_tariff_format");
    if (format.wholeNumber() != FORMAT) {
      throw format.error("unsupported format " + format.json().asText() + "; this Kopeck reads format " + FORMAT);
    }
    String provider = root.require("provider").nonBlankText();
    Currency fileCurrency = root.has("currency") ? currency(root.get("currency")) : null;
    String fileNote = root.has("note") ? root.get("note").text() : "";
    List<PricedModel> out = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (Node m : root.require("models").elements()) {
      PricedModel pm = model(m, provider, fileCurrency, fileNote);
      for (String name : allNames(pm.info())) {
        String key = TariffTables.key(name);
        String before = names.putIfAbsent(key, pm.id());
        if (before != null) {
          throw m.error("the name \"" + name + "\" is already used by model \"" + before + "\" in this table");
        }
      }
      out.add(pm);
    }
    return out;
  }

  static List<String> allNames(ModelInfo info) {
    List<String> all = new ArrayList<>();
    all.add(info.id());
    all.addAll(info.aliases());
    return all;
  }

  private static PricedModel model(Node m, String provider, Currency fileCurrency, String fileNote) {
    m.requireObject().rejectUnknownFields(MODEL_FIELDS);
    String id = m.require("id").nonBlankText();
    List<String> aliases = new ArrayList<>();
    if (m.has("aliases")) {
      for (Node a : m.get("aliases").elements()) {
        aliases.add(a.nonBlankText());
      }
    }
    long in = positive(m.require("input_token_limit"));
    Long outLimit = m.has("output_token_limit") ? positive(m.get("output_token_limit")) : null;
    String tokenizer = null;
    if (m.has("tokenizer")) {
      Node tn = m.get("tokenizer");
      tokenizer = tn.nonBlankText();
      if (Names.Tokenizer.of(tokenizer) == null) {
        throw new TariffException(tn.source(), tn.path(), "unknown tokenizer \"" + tokenizer + "\"; known: "
            + String.join(", ", Names.Tokenizer.ids()));
      }
    }
    String mediaRules = null;
    if (m.has("media_rules")) {
      Node mn = m.get("media_rules");
      mediaRules = mn.nonBlankText();
      if (!Names.MEDIA_RULES.contains(mediaRules.trim().toLowerCase(java.util.Locale.ROOT))) {
        throw new TariffException(mn.source(), mn.path(), "unknown media rules \"" + mediaRules + "\"; known: "
            + String.join(", ", Names.MEDIA_RULES));
      }
    }
    List<Modality> in1 = List.of();
    List<Modality> out1 = List.of();
    if (m.has("modalities")) {
      Node mo = m.get("modalities").requireObject();
      mo.rejectUnknownFields(Set.of("input", "output"));
      in1 = mo.has("input") ? modalities(mo.get("input")) : List.of();
      out1 = mo.has("output") ? modalities(mo.get("output")) : List.of();
    }
    ModelInfo info = new ModelInfo(id, aliases, in, outLimit, tokenizer, mediaRules, in1, out1);
    List<Tariff> tariffs = new ArrayList<>();
    Map<Instant, String> seen = new HashMap<>();
    List<Node> tnodes = m.require("tariffs").elements();
    if (tnodes.isEmpty()) {
      throw new TariffException(m.source(), m.pathOf("tariffs"), "a model needs at least one tariff");
    }
    for (Node t : tnodes) {
      Tariff tariff = tariff(t, provider, id, fileCurrency, fileNote);
      String other = seen.putIfAbsent(tariff.effectiveFrom(), t.path());
      if (other != null) {
        throw t.error("another tariff of this model (" + other + ") starts at the same instant " + tariff.effectiveFrom());
      }
      tariffs.add(tariff);
    }
    return new PricedModel(provider, info, tariffs);
  }

  /** {@code ["text", "image", "audio", "video", "document"]}. */
  private static List<Modality> modalities(Node list) {
    List<Modality> out = new ArrayList<>();
    for (Node e : list.elements()) {
      String name = e.nonBlankText();
      Modality m = null;
      for (Modality x : Modality.values()) {
        if (x.jsonName().equals(name)) {
          m = x;
        }
      }
      if (m == null) {
        throw e.error("unknown modality \"" + name + "\"; expected text, image, audio, video or document");
      }
      out.add(m);
    }
    return out;
  }

  private static Tariff tariff(Node t, String provider, String modelId, Currency fileCurrency, String fileNote) {
    t.requireObject().rejectUnknownFields(TARIFF_FIELDS);
    Instant from = instant(t.require("effective_from"));
    Currency cur;
    if (t.has("currency")) {
      cur = currency(t.get("currency"));
    } else if (fileCurrency != null) {
      cur = fileCurrency;
    } else {
      throw new TariffException(t.source(), t.pathOf("currency"), "no currency here nor at the top of the file");
    }
    Map<ChargeKind, Rate> rates = rates(t.require("rates"));
    for (ChargeKind required : List.of(ChargeKind.INPUT, ChargeKind.OUTPUT)) {
      if (!rates.containsKey(required)) {
        throw new TariffException(t.source(), t.pathOf("rates") + "." + required.jsonName(), "required rate is missing");
      }
    }
    List<Tier> tiers = new ArrayList<>();
    if (t.has("tiers")) {
      Map<Long, String> seen = new HashMap<>();
      for (Node tn : t.get("tiers").elements()) {
        tn.requireObject().rejectUnknownFields(TIER_FIELDS);
        long above = tn.require("above_input_tokens").count();
        String other = seen.putIfAbsent(above, tn.path());
        if (other != null) {
          throw tn.error("another tier (" + other + ") has the same threshold " + above);
        }
        Node rn = tn.require("rates");
        Map<ChargeKind, Rate> tr = rates(rn);
        Set<ChargeKind> tu = unlisted(tn, tr);
        if (tr.isEmpty() && tu.isEmpty()) {
          throw rn.error("a tier must change at least one rate");
        }
        tiers.add(new Tier(above, tr, tu));
      }
    }
    String note = t.has("note") ? t.get("note").text() : fileNote;
    return new Tariff(provider, modelId, cur, from, rates, tiers, note, unlisted(t, rates));
  }

  /** {@code "unlisted": ["output", "input_image"]}: kinds whose price the source does not show. */
  private static Set<ChargeKind> unlisted(Node parent, Map<ChargeKind, Rate> rates) {
    if (!parent.has("unlisted")) {
      return Set.of();
    }
    Set<ChargeKind> out = java.util.EnumSet.noneOf(ChargeKind.class);
    for (Node e : parent.get("unlisted").elements()) {
      ChargeKind k = ChargeKind.fromJsonName(e.nonBlankText()).orElseThrow(() -> e.error(
          "unknown rate kind; expected one of " + kindNames()));
      if (rates.containsKey(k)) {
        throw e.error(k.jsonName() + " has a rate here and cannot be unlisted as well");
      }
      out.add(k);
    }
    return out;
  }

  private static Map<ChargeKind, Rate> rates(Node rn) {
    Map<ChargeKind, Rate> rates = new EnumMap<>(ChargeKind.class);
    for (Map.Entry<String, Node> e : rn.fields()) {
      ChargeKind kind = ChargeKind.fromJsonName(e.getKey()).orElseThrow(() -> e.getValue().error(
          "unknown rate kind; expected one of " + kindNames()));
      rates.put(kind, rate(e.getValue()));
    }
    return rates;
  }

  private static List<String> kindNames() {
    List<String> n = new ArrayList<>();
    for (ChargeKind k : ChargeKind.values()) {
      n.add(k.jsonName());
    }
    return n;
  }

  private static Rate rate(Node r) {
    r.requireObject().rejectUnknownFields(RATE_FIELDS);
    Node p = r.require("price");
    BigDecimal price = p.decimal();
    if (price.signum() < 0) {
      throw p.error("a price cannot be negative: " + price.toPlainString());
    }
    long per = r.has("per") ? per(r.get("per")) : 1;
    Node u = r.require("unit");
    RateUnit unit = RateUnit.fromJsonName(u.nonBlankText()).orElseThrow(() -> u.error(
        "unknown unit; expected token, image, second, page or request"));
    return new Rate(price, per, unit);
  }

  /** {@code 1}, {@code 1000}, {@code "1K"}, {@code "1M"}: how many units the price is for. */
  private static long per(Node n) {
    long v;
    if (n.json().isTextual()) {
      String s = n.text().trim().toUpperCase(Locale.ROOT);
      long mult = 1;
      if (s.endsWith("K")) {
        mult = 1_000;
        s = s.substring(0, s.length() - 1);
      } else if (s.endsWith("M")) {
        mult = 1_000_000;
        s = s.substring(0, s.length() - 1);
      }
      try {
        v = Math.multiplyExact(Long.parseLong(s.trim()), mult);
      } catch (NumberFormatException | ArithmeticException e) {
        throw n.error("expected a count such as 1, 1000, \"1K\" or \"1M\", found \"" + n.text() + "\"");
      }
    } else {
      v = n.wholeNumber();
    }
    if (v <= 0) {
      throw n.error("must be positive: " + v);
    }
    return v;
  }

  private static long positive(Node n) {
    long v = n.wholeNumber();
    if (v <= 0) {
      throw n.error("must be positive: " + v);
    }
    return v;
  }

  private static Currency currency(Node n) {
    String code = n.nonBlankText();
    try {
      return Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      throw n.error("not an ISO 4217 currency code: \"" + code + "\"");
    }
  }

  /** {@code 2025-02-05} (the start of that day, UTC) or an ISO instant {@code 2025-02-05T12:00:00Z}. */
  private static Instant instant(Node n) {
    String s = n.nonBlankText();
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw n.error("expected a date (2025-02-05) or an instant (2025-02-05T00:00:00Z), found \"" + s + "\"");
    }
  }
}
