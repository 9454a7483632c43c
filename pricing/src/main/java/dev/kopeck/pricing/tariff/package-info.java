/** The tariff model: rates by kind and unit, dated tariffs, long-context tiers, model facts, catalogs. */
package dev.kopeck.pricing.tariff;
