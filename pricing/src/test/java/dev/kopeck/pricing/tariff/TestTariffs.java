package dev.kopeck.pricing.tariff;

/** Tariffs for tests: the router's Gemini 2.0 Flash page (as bundled) and a tiered USD model. */
public final class TestTariffs {
  private TestTariffs() {}

  public static final String ROUTER = """
      {
        "kopeck_tariff_format": 1,
        "provider": "router",
        "currency": "RUB",
        "models": [{
          "id": "google/gemini-2.0-flash-001",
          "aliases": ["gemini-2.0-flash-001", "gemini-2.0-flash"],
          "input_token_limit": 1048576, "output_token_limit": 8192,
          "tokenizer": "gemma3", "media_rules": "gemini-2.0",
          "tariffs": [{
            "effective_from": "2025-02-05",
            "rates": {
              "input":       {"price": "15",   "per": "1M", "unit": "token"},
              "output":      {"price": "60",   "per": "1M", "unit": "token"},
              "cache_read":  {"price": "3",    "per": "1M", "unit": "token"},
              "cache_write": {"price": "23",   "per": "1M", "unit": "token"},
              "input_image": {"price": "3.91", "per": "1K", "unit": "token"},
              "input_audio": {"price": "70",   "per": "1M", "unit": "token"}
            }
          }]
        }]
      }
      """;

  /** Gemini 2.5 Pro's shape: a higher rate for the whole request above 200K input tokens; two dated tariffs. */
  public static final String TIERED = """
      {
        "kopeck_tariff_format": 1,
        "provider": "google",
        "models": [{
          "id": "gemini-2.5-pro",
          "input_token_limit": 1048576, "output_token_limit": 65536,
          "tokenizer": "gemma3", "media_rules": "gemini-2.0",
          "tariffs": [
            {
              "effective_from": "2025-06-17", "currency": "USD",
              "rates": {
                "input":      {"price": "1.25",  "per": 1000000, "unit": "tokens"},
                "output":     {"price": "10",    "per": 1000000, "unit": "tokens"},
                "cache_read": {"price": "0.31",  "per": 1000000, "unit": "tokens"},
                "request":    {"price": "0.001", "per": 1, "unit": "request"}
              },
              "tiers": [{
                "above_input_tokens": 200000,
                "rates": {
                  "input":      {"price": "2.50",  "per": "1M", "unit": "token"},
                  "output":     {"price": "15",    "per": "1M", "unit": "token"},
                  "cache_read": {"price": "0.625", "per": "1M", "unit": "token"}
                }
              }]
            },
            {
              "effective_from": "2026-01-01T00:00:00Z", "currency": "USD",
              "rates": {
                "input":  {"price": "1",  "per": "1M", "unit": "token"},
                "output": {"price": "8",  "per": "1M", "unit": "token"}
              }
            }
          ]
        }]
      }
      """;

  public static TariffTables tables() {
    return TariffTables.builder().addJson("router.json", ROUTER).addJson("tiered.json", TIERED).build();
  }

  public static Tariff router() {
    return tables().require("gemini-2.0-flash").latest();
  }
}
