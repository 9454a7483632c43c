package dev.kopeck.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kopeck.budget.BudgetUnavailableException;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.ScopeStatus;
import dev.kopeck.base.InputException;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.budget.redis.RedisLedger;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "budget", mixinStandardHelpOptions = true,
    description = "Operates the budgets kept in Redis: status, set-limit, reset, rebuild.",
    subcommands = {BudgetCommand.Status.class, BudgetCommand.SetLimit.class, BudgetCommand.Reset.class,
        BudgetCommand.Rebuild.class})
final class BudgetCommand {
  /** Where the ledger is. */
  static final class Connection {
    @Option(names = "--redis", paramLabel = "URL", defaultValue = "redis://127.0.0.1:6379",
        description = "The Redis server (default ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "kopeck", description = "The key prefix (default ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--sentinel", paramLabel = "MASTER=HOST:PORT[,HOST:PORT...]",
        description = "Find the primary through Sentinel; --redis then gives only the password, database and TLS.")
    String sentinel;

    @Option(names = "--cluster", paramLabel = "HOST:PORT[,HOST:PORT...]",
        description = "A Redis Cluster's nodes; --prefix then needs a hash tag (kopeck-{acme}); --redis gives only the"
            + " password and TLS.")
    String cluster;

    @Option(names = "--zone", paramLabel = "ZONE",
        description = "The time zone periods follow (default: the one recorded with the scope's limit, else UTC).")
    String zone;

    @Option(names = "--currency", paramLabel = "CODE",
        description = "The currency of the limit set (recorded with it; default: the one recorded, else RUB). Status"
            + " shows each scope in its recorded currency and refuses another: amounts are never converted.")
    String currency;

    /** The ledger for {@code scope}, in --zone, else the zone recorded with the scope's limit, else UTC. */
    RedisLedger open(String scope) {
      ZoneId z;
      try {
        z = zone != null ? ZoneId.of(zone) : null;
      } catch (java.time.DateTimeException e) {
        throw new InputException(null, "--zone", e.getMessage());
      }
      if (z == null) {
        try (RedisLedger probe = open(ZoneId.of("UTC"))) {
          z = probe.recordedZone(BudgetCommand.scope(scope)).orElse(ZoneId.of("UTC"));
        }
      }
      return open(z);
    }

    private RedisLedger open(ZoneId z) {
      try {
        RedisLedger.Builder b = RedisLedger.builder().url(url).prefix(prefix).zone(z);
        if (sentinel != null) {
          int eq = sentinel.indexOf('=');
          if (eq <= 0 || eq == sentinel.length() - 1) {
            throw new IllegalArgumentException("--sentinel takes MASTER=HOST:PORT[,HOST:PORT...], not \"" + sentinel
                + "\"");
          }
          b.sentinel(sentinel.substring(0, eq), List.of(sentinel.substring(eq + 1).split(",")));
        }
        if (cluster != null) {
          b.cluster(List.of(cluster.split(",")));
        }
        return b.build();
      } catch (IllegalArgumentException e) {
        throw new InputException(null, null, e.getMessage());
      }
    }

    Currency cur() {
      return cur(null);
    }

    /**
     * The currency to show or set a scope in: the one recorded with its limit, which --currency may
     * repeat but not change on status (that would relabel the amounts); else --currency, else RUB.
     */
    Currency cur(Currency recorded) {
      Currency given;
      try {
        given = currency == null ? null : Currency.getInstance(currency.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InputException(null, "--currency", "not an ISO 4217 code: " + currency);
      }
      if (recorded != null && given != null && !recorded.equals(given)) {
        throw new InputException(null, "--currency", "the budget is in " + recorded.getCurrencyCode() + "; its amounts"
            + " are not converted to " + given.getCurrencyCode() + " (set the limit again with --currency to change it)");
      }
      return recorded != null ? recorded : given != null ? given : Currency.getInstance("RUB");
    }
  }

  static Scope scope(String s) {
    try {
      return Scope.of(s);
    } catch (IllegalArgumentException e) {
      throw new InputException(null, null, e.getMessage());
    }
  }

  static String show(long nanos, Currency c) {
    return nanos == Long.MAX_VALUE ? "unlimited" : Money.ofNanos(nanos, c).toPlainString();
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Spent, reserved and remaining per scope.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection conn;

    @Option(names = "--json", description = "One JSON object per scope and line.")
    boolean json;

    @Parameters(paramLabel = "SCOPE", arity = "1..*")
    List<String> scopes;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        for (String name : scopes) {
          ScopeStatus s;
          try (RedisLedger l = conn.open(name)) {
            s = l.status(scope(name));
          }
          Currency c = conn.cur(s.currency());
          if (json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("scope", name);
            o.put("period", s.period().jsonName());
            o.put("period_id", s.periodId());
            o.put("currency", c.getCurrencyCode());
            o.put("limit", s.limitNanos() < 0 ? null : show(s.limitNanos(), c));
            o.put("spent", show(s.spentNanos(), c));
            o.put("reserved", show(s.reservedNanos(), c));
            o.put("remaining", s.limitNanos() < 0 ? null : show(s.remainingNanos(), c));
            out.println(Output.json(o));
          } else {
            if (s.limitNanos() < 0) {
              // no limit: nothing "remains" (Long.MAX_VALUE nano-units is no amount to show)
              out.printf("%s (no limit): spent %s, reserved %s %s%n", name, show(s.spentNanos(), c),
                  show(s.reservedNanos(), c), c.getCurrencyCode());
            } else {
              out.printf("%s (%s %s): limit %s, spent %s, reserved %s, remaining %s %s%n", name, s.period().jsonName(),
                  s.periodId(), show(s.limitNanos(), c), show(s.spentNanos(), c), show(s.reservedNanos(), c),
                  show(s.remainingNanos(), c), c.getCurrencyCode());
            }
          }
        }
      } catch (BudgetUnavailableException e) {
        throw new InputException(null, null, e.getMessage());
      }
      return Main.OK;
    }
  }

  @Command(name = "set-limit", mixinStandardHelpOptions = true, description = "Sets a scope's limit and period.")
  static final class SetLimit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection conn;

    @Option(names = "--limit", paramLabel = "AMOUNT", required = true,
        description = "In currency units, exact (1500.50); \"none\" removes the limit.")
    String limit;

    @Option(names = "--period", paramLabel = "P", defaultValue = "month", description = "none, day, week or month.")
    String period;

    @Parameters(paramLabel = "SCOPE")
    String scopeName;

    @Override
    public Integer call() {
      BudgetPeriod p;
      try {
        p = BudgetPeriod.parse(period);
      } catch (IllegalArgumentException e) {
        throw new InputException(null, "--period", e.getMessage());
      }
      long nanos;
      if (limit.equalsIgnoreCase("none")) {
        nanos = -1;
      } else {
        try {
          BigDecimal amount = new BigDecimal(limit);
          if (amount.signum() < 0) {
            throw new InputException(null, "--limit", "must not be negative: " + limit);
          }
          if (amount.stripTrailingZeros().scale() > Money.NANO_SCALE) {
            throw new InputException(null, "--limit", "not an amount with at most 9 decimals: " + limit);
          }
          BigDecimal most = BigDecimal.valueOf(Long.MAX_VALUE - 1).movePointLeft(Money.NANO_SCALE);
          if (amount.compareTo(most) > 0) {
            throw new InputException(null, "--limit", limit + " is more than a ledger holds: at most "
                + most.toPlainString() + " (nano-units in a 64-bit count)");
          }
          nanos = amount.movePointRight(Money.NANO_SCALE).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
          throw new InputException(null, "--limit", "not an amount: " + limit);
        }
      }
      try (RedisLedger l = conn.open(scopeName)) {
        l.initialize(); // setting a limit sets the ledger up (again, after its store was lost)
        ScopeStatus before = l.status(scope(scopeName));
        // --currency sets the budget's currency; without it, the one recorded stays (else RUB)
        Currency c = conn.currency != null ? conn.cur() : conn.cur(before.currency());
        l.setLimit(scope(scopeName), nanos, p, c);
        ScopeStatus s = l.status(scope(scopeName));
        spec.commandLine().getOut().printf("%s: limit %s per %s, spent %s this period (%s)%n", scopeName,
            nanos < 0 ? "none" : show(nanos, c) + " " + c.getCurrencyCode(), p.jsonName(), show(s.spentNanos(), c),
            s.periodId());
      } catch (BudgetUnavailableException e) {
        throw new InputException(null, null, e.getMessage());
      }
      return Main.OK;
    }
  }

  @Command(name = "rebuild", mixinStandardHelpOptions = true,
      description = {"Rebuilds scopes' spending in their current period from the spend log (docs/spend-log.md), after"
          + " the ledger's store was lost: set their limits first (set-limit). Running it twice gives the same state.",
        "Reads JSONL spend logs (FILE..., - for standard input) or --from the log in PostgreSQL"
          + " (postgresql://USER@HOST:PORT/DB, jdbc:postgresql://…) or a JSONL file.",
        "A scope's spending is rebuilt in its limit's currency: commits recorded in another currency are"
          + " reported, never added."})
  static final class Rebuild implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection conn;

    @Option(names = "--scope", paramLabel = "SCOPE", required = true, description = "A scope to rebuild; repeat for more.")
    List<String> scopeNames;

    @Mixin SpendSource source;

    @Override
    public Integer call() throws java.io.IOException {
      source.check();
      PrintWriter out = spec.commandLine().getOut();
      List<Scope> scopes = scopeNames.stream().map(BudgetCommand::scope).toList();
      try (RedisLedger l = conn.open(scopeNames.get(0))) {
        ZoneId zone = conn.zone != null ? ZoneId.of(conn.zone) : l.recordedZone(scopes.get(0)).orElse(ZoneId.of("UTC"));
        dev.kopeck.spend.BudgetRebuild rebuild;
        try {
          rebuild = new dev.kopeck.spend.BudgetRebuild(l, scopes, zone);
        } catch (IllegalStateException e) {
          throw new InputException(null, "--scope", e.getMessage());
        }
        List<dev.kopeck.spend.BudgetRebuild.Result> results;
        try {
          if (source.database()) {
            String[] jdbc = source.jdbc();
            // a month is at most 31 days; an all-time budget needs the whole log
            boolean allTime = scopes.stream().anyMatch(s -> l.status(s).period() == dev.kopeck.budget.BudgetPeriod.NONE);
            results = rebuild.fromPostgres(jdbc[0], jdbc[1], jdbc[2],
                allTime ? java.time.Instant.EPOCH : java.time.Instant.now().minus(java.time.Duration.ofDays(32)));
          } else {
            results = rebuild.from(source.records(null, null));
          }
        } catch (java.io.IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) { // the database's
          throw source.databaseError(e);
        }
        for (dev.kopeck.spend.BudgetRebuild.Result r : results) {
          Currency c = conn.cur(r.currency() != null ? currencyOrNull(r.currency()) : null);
          StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT,
              "%s (%s): spent %s -> %s %s, from %s", r.scope().name(), r.periodId(), show(r.beforeNanos(), c),
              show(r.afterNanos(), c), c.getCurrencyCode(), Output.count(r.commits(), "commit")));
          r.notAdded().forEach((code, n) -> line.append("; not added: ").append(Output.count(n.commits(), "commit"))
              .append(" in ").append(code).append(" (").append(java.math.BigDecimal.valueOf(n.nanos(), 9)
              .stripTrailingZeros().toPlainString()).append(' ')
              .append(code).append(')'));
          out.println(line);
        }
      } catch (BudgetUnavailableException e) {
        throw new InputException(null, null, e.getMessage());
      }
      return Main.OK;
    }
  }

  private static Currency currencyOrNull(String code) {
    try {
      return Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Command(name = "reset", mixinStandardHelpOptions = true, description = "Forgets a scope's spending in its current period.")
  static final class Reset implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection conn;

    @Parameters(paramLabel = "SCOPE")
    String scopeName;

    @Override
    public Integer call() {
      try (RedisLedger l = conn.open(scopeName)) {
        l.reset(scope(scopeName));
        spec.commandLine().getOut().println(scopeName + ": reset");
      } catch (BudgetUnavailableException e) {
        throw new InputException(null, null, e.getMessage());
      }
      return Main.OK;
    }
  }
}
