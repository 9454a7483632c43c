package dev.kopeck.spend;

import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.ScopeStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A budget rebuilt from its spend log after the ledger's store was lost: for each scope, the costs
 * committed in its current period (by its period and {@code zone}) added up and set as its spending
 * ({@link BudgetLedger#restoreSpent}). The scopes' limits must be set first (the application does it
 * at start, or {@code kopeck budget set-limit}); running it twice gives the same state. A scope's
 * spending is restored in its limit's currency: a commit recorded in another currency (made while
 * the budget was kept in it) is counted apart in {@link Result#notAdded}, never added.
 */
public final class BudgetRebuild {
  /**
   * A scope rebuilt: what it had spent in {@code periodId} before and after, from {@code commits}
   * commits, in {@code currency} (its limit's, else the first commit's; null when neither is known).
   * Commits in another currency are not added: {@code notAdded} gives them by currency code.
   */
  public record Result(Scope scope, String periodId, long beforeNanos, long afterNanos, long commits, String currency,
      Map<String, NotAdded> notAdded) {
    public Result {
      notAdded = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(notAdded));
    }
  }

  /** Commits of a scope in a currency other than its limit's: how many, and their nano-units of that currency. */
  public record NotAdded(long commits, long nanos) {}

  private final BudgetLedger ledger;
  private final ZoneId zone;
  private final Map<Scope, ScopeStatus> status = new LinkedHashMap<>();
  private final Map<Scope, long[]> sums = new LinkedHashMap<>(); // {nanos, commits}
  private final Map<Scope, String> currencies = new LinkedHashMap<>();
  private final Map<Scope, Map<String, long[]>> others = new LinkedHashMap<>(); // currency: {commits, nanos}

  public BudgetRebuild(BudgetLedger ledger, List<Scope> scopes, ZoneId zone) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.zone = Objects.requireNonNull(zone, "zone");
    for (Scope s : scopes) {
      ScopeStatus st = ledger.status(s);
      if (st.limitNanos() < 0) {
        throw new IllegalStateException(s.name() + " has no limit in the ledger: set its limit first, then rebuild");
      }
      status.put(s, st);
      sums.put(s, new long[2]);
      if (st.currency() != null) {
        currencies.put(s, st.currency().getCurrencyCode());
      }
      others.put(s, new java.util.TreeMap<>());
    }
  }

  /**
   * Commits the ledger did not take though the call was priced (its reservation was gone: the store
   * wiped under calls in flight), by request id: counted as spent unless a commit of the same
   * request is seen too (a retry that went in).
   */
  private final Map<String, SpendRecord> uncommitted = new LinkedHashMap<>();

  /** Counts a commit record toward each of its scopes being rebuilt whose current period holds it. */
  void see(SpendRecord r) {
    if (r.event() == SpendRecord.Event.COMMIT_FAILED && r.costNanos() > 0) {
      uncommitted.putIfAbsent(r.requestId(), r);
      return;
    }
    if (r.event() != SpendRecord.Event.COMMIT) {
      return;
    }
    uncommitted.remove(r.requestId());
    count(r);
  }

  private void count(SpendRecord r) {
    for (String name : r.scopes()) {
      Scope s = Scope.of(name);
      ScopeStatus st = status.get(s);
      if (st != null && st.period().id(r.at(), zone).equals(st.periodId())) {
        String mine = r.currency() == null ? currencies.get(s) : currencies.putIfAbsent(s, r.currency());
        if (mine != null && r.currency() != null && !mine.equals(r.currency())) {
          // committed to a budget in another currency: never added to this one's
          long[] other = others.get(s).computeIfAbsent(r.currency(), c -> new long[2]);
          other[0]++;
          other[1] = Math.addExact(other[1], r.costNanos());
          continue;
        }
        long[] sum = sums.get(s);
        sum[0] = Math.addExact(sum[0], r.costNanos());
        sum[1]++;
      }
    }
  }

  /** From JSONL spend logs. */
  public List<Result> fromJsonl(List<Path> files) throws IOException {
    SpendFiles.forEach(files, this::see);
    return apply();
  }

  /**
   * From any source of records (JSONL on standard input among files).
   *
   * @throws Exception what the source throws
   */
  public List<Result> from(SpendCalls.Source source) throws Exception {
    source.forEach(this::see);
    return apply();
  }

  /** From the spend log in PostgreSQL: the commits of the scopes, read as a stream. */
  public List<Result> fromPostgres(String jdbcUrl, String user, String password, Instant notBefore)
      throws SQLException {
    try (Connection con = DriverManager.getConnection(jdbcUrl, user, password)) {
      con.setAutoCommit(false); // a cursor: rows arrive a batch at a time, not all at once
      try (PreparedStatement ps = con.prepareStatement("SELECT request_id, at, scopes, cost_nanos, event, currency FROM"
          + " kopeck_spend_log WHERE (event = 'commit' OR event = 'commit_failed' AND cost_nanos > 0) AND at >= ?"
          + " AND scopes && ? ORDER BY at")) {
        ps.setFetchSize(10_000);
        ps.setTimestamp(1, Timestamp.from(notBefore));
        ps.setArray(2, con.createArrayOf("text", status.keySet().stream().map(Scope::name).toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            List<String> scopes = List.of((String[]) rs.getArray(3).getArray());
            see(new SpendRecord(rs.getString(1), SpendRecord.Event.valueOf(rs.getString(5).toUpperCase(
                java.util.Locale.ROOT)), rs.getTimestamp(2).toInstant(), scopes,
                null, null, rs.getString(6), null, 0, rs.getLong(4), 0, false, false, 0, 0, 0, 0, 0, null));
          }
        }
      }
    }
    return apply();
  }

  private List<Result> apply() {
    uncommitted.values().forEach(this::count);
    uncommitted.clear();
    List<Result> out = new ArrayList<>();
    for (Map.Entry<Scope, ScopeStatus> e : status.entrySet()) {
      long[] sum = sums.get(e.getKey());
      ledger.restoreSpent(e.getKey(), sum[0]);
      Map<String, NotAdded> other = new java.util.TreeMap<>();
      others.get(e.getKey()).forEach((c, n) -> other.put(c, new NotAdded(n[0], n[1])));
      out.add(new Result(e.getKey(), e.getValue().periodId(), e.getValue().spentNanos(), sum[0], sum[1],
          currencies.get(e.getKey()), other));
    }
    return out;
  }
}
