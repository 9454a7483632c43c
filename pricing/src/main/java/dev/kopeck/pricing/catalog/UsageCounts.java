package dev.kopeck.pricing.catalog;

import java.math.BigDecimal;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link UnitUsage}'s counts: an immutable map whose keys are sorted, kept in two arrays. A usage has
 * a handful of keys and is priced as soon as it is made: a pair of arrays is built once and read by
 * index, where a sorted tree was copied twice and walked with an iterator per lookup
 * (docs/design/catalog-pricing.md). Checked when made (no null, no negative count); trusted after.
 */
final class UsageCounts extends AbstractMap<String, BigDecimal> {
  /** Sorted; only the first {@link #size} are counts (a builder's arrays are kept as they are, not trimmed). */
  private final String[] keys;
  private final BigDecimal[] values;
  private final int size;

  private UsageCounts(String[] keys, BigDecimal[] values, int size) {
    this.keys = keys;
    this.values = values;
    this.size = size;
  }

  /** The counts of any map, checked: each count present and not negative. */
  static UsageCounts copyOf(Map<String, BigDecimal> counts) {
    if (counts instanceof UsageCounts u) {
      return u;
    }
    TreeMap<String, BigDecimal> sorted = new TreeMap<>();
    for (Map.Entry<String, BigDecimal> e : counts.entrySet()) {
      check(e.getKey(), e.getValue());
      sorted.put(e.getKey(), e.getValue());
    }
    return new UsageCounts(sorted.keySet().toArray(new String[0]), sorted.values().toArray(new BigDecimal[0]),
        sorted.size());
  }

  private static void check(String key, BigDecimal count) {
    Objects.requireNonNull(count, key);
    if (count.signum() < 0) {
      throw new IllegalArgumentException(key + " is negative: " + count.toPlainString());
    }
  }

  /** Collects counts, then sorts them once; a key put twice keeps its last count. Used once. */
  static final class Builder {
    private String[] keys = new String[8];
    private BigDecimal[] values = new BigDecimal[8];
    private int size;
    private boolean built;

    Builder put(String key, BigDecimal count) {
      if (built) {
        throw new IllegalStateException("built already");
      }
      Objects.requireNonNull(key, "key");
      check(key, count);
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          values[i] = count;
          return this;
        }
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keys[size] = key;
      values[size++] = count;
      return this;
    }

    boolean has(String key) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return true;
        }
      }
      return false;
    }

    UsageCounts build() {
      built = true;
      String[] k = keys;
      BigDecimal[] v = values;
      for (int i = 1; i < size; i++) { // insertion sort: a usage has a handful of keys
        String key = k[i];
        BigDecimal value = v[i];
        int j = i - 1;
        for (; j >= 0 && k[j].compareTo(key) > 0; j--) {
          k[j + 1] = k[j];
          v[j + 1] = v[j];
        }
        k[j + 1] = key;
        v[j + 1] = value;
      }
      return new UsageCounts(k, v, size);
    }
  }

  @Override
  public int size() {
    return size;
  }

  /** The key at {@code i}, in sorted order. */
  String key(int i) {
    return keys[i];
  }

  /** The count at {@code i}. */
  BigDecimal count(int i) {
    return values[i];
  }

  /** Where {@code key} is, or a negative number. */
  int indexOf(Object key) {
    return key instanceof String s ? Arrays.binarySearch(keys, 0, size, s) : -1;
  }

  @Override
  public BigDecimal get(Object key) {
    int i = indexOf(key);
    return i >= 0 ? values[i] : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Set<Map.Entry<String, BigDecimal>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Map.Entry<String, BigDecimal>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Map.Entry<String, BigDecimal> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return Map.entry(keys[i], values[i]);
          }
        };
      }
    };
  }
}
