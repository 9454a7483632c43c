package dev.kopeck.core.reconcile;

import java.util.Objects;

/**
 * Something wrong with one call, and why.
 *
 * @param code {@code reported_cost_mismatch}, {@code estimate_off}, {@code usage_inconsistent},
 *     {@code usage_over_context} (more input than the model's context window holds: a wrong count or
 *     model, or a window larger than the tables know) or {@code usage_missing}
 * @param reason what was found, with the numbers
 */
public record Flag(String code, String reason) {
  public static final String REPORTED_COST_MISMATCH = "reported_cost_mismatch";
  public static final String ESTIMATE_OFF = "estimate_off";
  public static final String USAGE_INCONSISTENT = "usage_inconsistent";
  public static final String USAGE_MISSING = "usage_missing";
  public static final String USAGE_OVER_CONTEXT = "usage_over_context";

  public Flag {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(reason, "reason");
  }
}
