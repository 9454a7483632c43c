package dev.kopeck.gateway;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kopeck.base.InputException;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.pricing.money.Money;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Currency;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The virtual keys of a keys file, by the SHA-256 of the key: a key given in clear is hashed as it
 * is read and not kept. Read whole and checked before it is used, so a bad file changes nothing.
 *
 * <pre>{@code {"keys":[{"key":"sk-team-a","scope":"team:a","limit":"0.5","currency":"RUB","period":"month"},
 *          {"key_sha256":"9f86d0…","scope":"team:b","limit":"2","currency":"RUB","period":"day"}]}}</pre>
 */
final class KeyRing {
  /** A virtual key's budget: the scope its calls are charged to, and the scope's limit. */
  record Entry(Scope scope, Money limit, BudgetPeriod period, String path) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> FIELDS = Set.of("key", "key_sha256", "scope", "limit", "currency", "period");

  private final Map<String, Entry> byHash;
  private final Map<Scope, Entry> scopes;

  private KeyRing(Map<String, Entry> byHash, Map<Scope, Entry> scopes) {
    this.byHash = Map.copyOf(byHash);
    this.scopes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scopes));
  }

  /** The key presented, or null when it is not one of the file's. */
  Entry find(String presented) {
    return presented == null ? null : byHash.get(sha256(presented));
  }

  /** Each scope once, with its limit. */
  Map<Scope, Entry> scopes() {
    return scopes;
  }

  int size() {
    return byHash.size();
  }

  static String sha256(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder b = new StringBuilder(64);
      for (byte x : d) {
        b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
      }
      return b.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Reads and checks {@code file}; every problem names the file and its JSON path (or line and column). */
  static KeyRing read(Path file) {
    String name = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw InputException.unreadable(name, e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new InputException(name, at == null ? null : "line " + at.getLineNr() + ", column " + at.getColumnNr(),
          "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw InputException.unreadable(name, e);
    }
    if (root == null || !root.isObject()) {
      throw new InputException(name, "$", "expected an object {\"keys\":[…]}");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("keys")) {
        throw new InputException(name, "$." + f, "unknown field; the file holds only \"keys\"");
      }
    }
    JsonNode keys = root.get("keys");
    if (keys == null || !keys.isArray()) {
      throw new InputException(name, "$.keys", "expected an array of keys");
    }
    Map<String, Entry> byHash = new HashMap<>();
    Map<Scope, Entry> scopes = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      String at = "$.keys[" + i + "]";
      JsonNode k = keys.get(i);
      if (!k.isObject()) {
        throw new InputException(name, at, "expected an object with key (or key_sha256), scope, limit, currency, period");
      }
      for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!FIELDS.contains(f)) {
          throw new InputException(name, at + "." + f, "unknown field; a key has " + List.of("key", "key_sha256",
              "scope", "limit", "currency", "period"));
        }
      }
      String hash;
      if (k.has("key") == k.has("key_sha256")) {
        throw new InputException(name, at, "give the key as \"key\" or as its \"key_sha256\", one of the two");
      } else if (k.has("key")) {
        String clear = text(name, at + ".key", k.get("key"));
        if (clear.isEmpty()) {
          throw new InputException(name, at + ".key", "a key must not be empty");
        }
        hash = sha256(clear);
      } else {
        hash = text(name, at + ".key_sha256", k.get("key_sha256")).toLowerCase(Locale.ROOT);
        if (!hash.matches("[0-9a-f]{64}")) {
          throw new InputException(name, at + ".key_sha256", "expected 64 hexadecimal digits (the key's SHA-256)");
        }
      }
      Scope scope;
      try {
        scope = Scope.of(text(name, at + ".scope", k.get("scope")));
      } catch (IllegalArgumentException e) {
        throw new InputException(name, at + ".scope", e.getMessage());
      }
      Currency currency;
      String code = text(name, at + ".currency", k.get("currency"));
      try {
        currency = Currency.getInstance(code);
      } catch (IllegalArgumentException e) {
        throw new InputException(name, at + ".currency", "not an ISO 4217 code: \"" + code + "\"");
      }
      JsonNode l = k.get("limit");
      BigDecimal amount;
      if (l != null && l.isNumber()) {
        amount = l.decimalValue();
      } else {
        String s = text(name, at + ".limit", l);
        try {
          amount = new BigDecimal(s);
        } catch (NumberFormatException e) {
          throw new InputException(name, at + ".limit", "not a decimal number: \"" + s + "\"");
        }
      }
      if (amount.signum() < 0) {
        throw new InputException(name, at + ".limit", "a limit must not be negative: " + amount.toPlainString());
      }
      Money limit = Money.of(amount, currency);
      try {
        limit.toNanosExact();
      } catch (ArithmeticException e) {
        throw new InputException(name, at + ".limit", "at most 9 decimals and below 9.2 billion: "
            + amount.toPlainString());
      }
      BudgetPeriod period;
      try {
        period = BudgetPeriod.parse(text(name, at + ".period", k.get("period")));
      } catch (IllegalArgumentException e) {
        throw new InputException(name, at + ".period", e.getMessage());
      }
      Entry e = new Entry(scope, limit, period, at);
      Entry same = byHash.put(hash, e);
      if (same != null) {
        throw new InputException(name, at, "the same key as " + same.path());
      }
      Entry other = scopes.putIfAbsent(scope, e);
      if (other != null && !(other.limit().equals(limit) && other.period() == period)) {
        throw new InputException(name, at, "scope " + scope.name() + " has another limit at " + other.path()
            + "; keys that share a scope share its limit, so give the same limit, currency and period");
      }
    }
    return new KeyRing(byHash, scopes);
  }

  private static String text(String file, String at, JsonNode n) {
    if (n == null || n.isNull()) {
      throw new InputException(file, at, "missing");
    }
    if (!n.isTextual()) {
      throw new InputException(file, at, "expected a string, not " + n.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return n.asText();
  }
}
