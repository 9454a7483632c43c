package dev.kopeck.budget;

import java.util.Objects;

/** Whatever a budget belongs to, named by the caller: {@code tenant:acme}, {@code team:ml}, {@code key:sk-12}. */
public record Scope(String name) implements Comparable<Scope> {
  public Scope {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("a scope name must be 1 to 200 characters, not blank; this one has "
          + name.length() + ": " + RequestIds.quote(name));
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        throw new IllegalArgumentException("a scope name must not hold control characters; it has U+"
            + String.format("%04X", (int) c) + " at character " + i + ": " + RequestIds.quote(name));
      }
    }
  }

  public static Scope of(String name) {
    return new Scope(name);
  }

  @Override
  public int compareTo(Scope o) {
    return name.compareTo(o.name);
  }
}
