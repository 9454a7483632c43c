package dev.kopeck.spring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code kopeck.*}: where budgets are kept, who pays for a call by default, and the limits to set
 * at start-up.
 *
 * <pre>
 * kopeck.scope=service:billing
 * kopeck.ledger.redis-url=redis://ledger.internal:6379
 * kopeck.budgets[0].scope=service:billing
 * kopeck.budgets[0].limit=500
 * kopeck.budgets[0].currency=RUB
 * kopeck.budgets[0].period=day
 * </pre>
 */
@ConfigurationProperties("kopeck")
public class KopeckProperties {
  /** Off: no Kopeck bean is made. */
  private boolean enabled = true;
  /** The scope a call is charged to when the call names none (the OkHttp hook, the advisor). */
  private String scope = "default";
  private final Ledger ledger = new Ledger();
  /** Limits set when the application starts (setting a limit again is harmless: it replaces itself). */
  private List<Budget> budgets = new ArrayList<>();
  /** Put the budget into Spring AI's OpenAI client at the HTTP level (exact usage, streams included). */
  private boolean openaiHttp = true;
  /**
   * The model a request that names none is estimated and priced as; unset (the default), such a
   * request is refused rather than priced as a guessed model.
   */
  private String defaultModel;

  public String getDefaultModel() {
    return defaultModel;
  }

  public void setDefaultModel(String defaultModel) {
    this.defaultModel = defaultModel;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getScope() {
    return scope;
  }

  public void setScope(String scope) {
    this.scope = scope;
  }

  public Ledger getLedger() {
    return ledger;
  }

  public List<Budget> getBudgets() {
    return budgets;
  }

  public void setBudgets(List<Budget> budgets) {
    this.budgets = budgets;
  }

  public boolean isOpenaiHttp() {
    return openaiHttp;
  }

  public void setOpenaiHttp(boolean openaiHttp) {
    this.openaiHttp = openaiHttp;
  }

  /** Where budgets are kept: in this process, or in Redis, shared by every instance. */
  public static class Ledger {
    /** {@code redis://[user:password@]host:port[/db]} or {@code rediss://…}; unset: in memory. */
    private String redisUrl;
    /** The prefix of the ledger's Redis keys. */
    private String prefix = "kopeck";
    /** The time zone periods start in (a day, a month); unset: UTC. */
    private String zone;

    public String getRedisUrl() {
      return redisUrl;
    }

    public void setRedisUrl(String redisUrl) {
      this.redisUrl = redisUrl;
    }

    public String getPrefix() {
      return prefix;
    }

    public void setPrefix(String prefix) {
      this.prefix = prefix;
    }

    public String getZone() {
      return zone;
    }

    public void setZone(String zone) {
      this.zone = zone;
    }
  }

  /** A limit: {@code limit} units of {@code currency} per {@code period} on {@code scope}. */
  public static class Budget {
    private String scope;
    private BigDecimal limit;
    private String currency = "RUB";
    /** none, day, week or month. */
    private String period = "month";

    public String getScope() {
      return scope;
    }

    public void setScope(String scope) {
      this.scope = scope;
    }

    public BigDecimal getLimit() {
      return limit;
    }

    public void setLimit(BigDecimal limit) {
      this.limit = limit;
    }

    public String getCurrency() {
      return currency;
    }

    public void setCurrency(String currency) {
      this.currency = currency;
    }

    public String getPeriod() {
      return period;
    }

    public void setPeriod(String period) {
      this.period = period;
    }
  }
}
