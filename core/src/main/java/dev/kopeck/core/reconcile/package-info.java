/** Reconciliation: estimates against returned usage, provider charges against the tariff, reports over logs. */
package dev.kopeck.core.reconcile;
