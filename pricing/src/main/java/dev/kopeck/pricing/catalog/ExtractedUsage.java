package dev.kopeck.pricing.catalog;

/**
 * A usage read from a provider's response by the provider's extractor.
 *
 * @param model the model the response names, or null
 */
public record ExtractedUsage(String model, UnitUsage usage) {}
