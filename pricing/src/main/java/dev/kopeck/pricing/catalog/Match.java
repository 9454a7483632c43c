package dev.kopeck.pricing.catalog;

import dev.kopeck.pricing.json.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A rule that says which names a model (or provider) answers to, as genai-prices writes them:
 * {@code equals}, {@code starts_with}, {@code ends_with}, {@code contains} (all ignoring case: the
 * rule's text is lower-cased when read, and callers give the name lower-cased, as genai-prices does),
 * {@code regex} (found anywhere in that name), and {@code or}/{@code and} of rules.
 */
sealed interface Match {
  /** Whether the rule accepts {@code lowerCaseName} (lower-cased by the caller, once). */
  boolean test(String lowerCaseName);

  /** The rule as a person reads it: {@code equals "gpt-4o" or starts with "gpt-4o-2024"}. */
  default String describe() {
    if (this instanceof Equals e) {
      return "equals \"" + e.s() + "\"";
    } else if (this instanceof StartsWith e) {
      return "starts with \"" + e.s() + "\"";
    } else if (this instanceof EndsWith e) {
      return "ends with \"" + e.s() + "\"";
    } else if (this instanceof Contains e) {
      return "contains \"" + e.s() + "\"";
    } else if (this instanceof Regex e) {
      return "matches /" + e.p().pattern() + "/";
    } else if (this instanceof Or o) {
      return String.join(" or ", o.any().stream().map(m -> m instanceof And ? "(" + m.describe() + ")" : m.describe())
          .toList());
    }
    return String.join(" and ", ((And) this).all().stream().map(m -> m instanceof Or ? "(" + m.describe() + ")"
        : m.describe()).toList());
  }

  record Equals(String s) implements Match {
    @Override
    public boolean test(String n) {
      return n.equals(s);
    }
  }

  record StartsWith(String s) implements Match {
    @Override
    public boolean test(String n) {
      return n.startsWith(s);
    }
  }

  record EndsWith(String s) implements Match {
    @Override
    public boolean test(String n) {
      return n.endsWith(s);
    }
  }

  record Contains(String s) implements Match {
    @Override
    public boolean test(String n) {
      return n.contains(s);
    }
  }

  record Regex(Pattern p) implements Match {
    @Override
    public boolean test(String n) {
      return p.matcher(n).find();
    }
  }

  record Or(List<Match> any) implements Match {
    @Override
    public boolean test(String n) {
      for (Match m : any) {
        if (m.test(n)) {
          return true;
        }
      }
      return false;
    }
  }

  record And(List<Match> all) implements Match {
    @Override
    public boolean test(String n) {
      for (Match m : all) {
        if (!m.test(n)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Reads a rule: an object with exactly one of the keys above. */
  static Match read(Node n) {
    List<Map.Entry<String, Node>> f = n.requireObject().fields();
    if (f.size() != 1) {
      throw n.error("a match rule has exactly one of equals, starts_with, ends_with, contains, regex, or, and");
    }
    String kind = f.get(0).getKey();
    Node v = f.get(0).getValue();
    switch (kind) {
      case "equals":
        return new Equals(lower(v));
      case "starts_with":
        return new StartsWith(lower(v));
      case "ends_with":
        return new EndsWith(lower(v));
      case "contains":
        return new Contains(lower(v));
      case "regex":
        try {
          return new Regex(Pattern.compile(v.text()));
        } catch (PatternSyntaxException e) {
          throw v.error("not a regular expression: " + e.getDescription());
        }
      case "or":
      case "and":
        List<Match> parts = new ArrayList<>();
        for (Node p : v.elements()) {
          parts.add(read(p));
        }
        return kind.equals("or") ? new Or(List.copyOf(parts)) : new And(List.copyOf(parts));
      default:
        throw new dev.kopeck.base.InputException(n.source(), n.pathOf(kind),
            "unknown match rule; expected equals, starts_with, ends_with, contains, regex, or, and");
    }
  }

  private static String lower(Node v) {
    return v.text().toLowerCase(Locale.ROOT);
  }
}
