/** Pre-flight estimates of chat requests: tokens by modality, cost min/expected/max, context budgets. */
package dev.kopeck.core.estimate;
