/** Pricing a usage with a tariff: a breakdown line per component and the exact total. */
package dev.kopeck.pricing.cost;
