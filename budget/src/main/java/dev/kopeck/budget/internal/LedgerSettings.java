package dev.kopeck.budget.internal;

import dev.kopeck.budget.BudgetListener;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

/**
 * The settings every ledger takes, as {@code LedgerBuilder} collected and checked them (thresholds
 * ascending, distinct). For ledger implementations, not for users.
 */
public record LedgerSettings(Clock clock, ZoneId zone, Duration ttl, Duration window, int[] thresholds,
    BudgetListener listener) {}
