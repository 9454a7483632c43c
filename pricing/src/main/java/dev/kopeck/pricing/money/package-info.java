/** Exact money: decimal amounts, the nano-unit ledger form, rounding only for display. */
package dev.kopeck.pricing.money;
