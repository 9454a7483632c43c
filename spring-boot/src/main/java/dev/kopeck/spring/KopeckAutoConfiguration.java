package dev.kopeck.spring;

import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.budget.BudgetPeriod;
import dev.kopeck.budget.InMemoryLedger;
import dev.kopeck.budget.Scope;
import dev.kopeck.budget.redis.RedisLedger;
import dev.kopeck.core.estimate.Estimator;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.GuardListener;
import dev.kopeck.micrometer.KopeckMetrics;
import dev.kopeck.pricing.money.Money;
import dev.kopeck.okhttp.KopeckInterceptor;
import dev.kopeck.core.reconcile.Reconciler;
import dev.kopeck.spring.ai.KopeckAdvisor;
import dev.kopeck.spring.ai.KopeckTokenCountEstimator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Kopeck for a Spring Boot application (3.5 or 4.0): the estimator, a ledger from
 * {@code kopeck.ledger.*} (Redis when a URL is set and {@code kopeck-budget-redis} is there, else
 * in memory), the guard, and what the application has the parts for: Micrometer metrics, the OkHttp
 * interceptor, its hook into Spring AI's OpenAI client, and Spring AI's advisor and token count
 * estimator. Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "kopeck", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(KopeckProperties.class)
public class KopeckAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public Estimator kopeckEstimator(KopeckProperties p) {
    return Estimator.builder().registry(dev.kopeck.core.model.ModelRegistry.builder().defaultModel(p.getDefaultModel())
        .build()).build();
  }

  @Bean
  @ConditionalOnMissingBean
  public Reconciler kopeckReconciler(Estimator estimator) {
    return Reconciler.builder().estimator(estimator).build();
  }

  /** The ledger: Redis when {@code kopeck.ledger.redis-url} is set, else in memory; the configured limits set. */
  @Bean
  @ConditionalOnMissingBean
  public BudgetLedger kopeckLedger(KopeckProperties p) {
    BudgetLedger ledger;
    ZoneId zone = p.getLedger().getZone() == null ? null : ZoneId.of(p.getLedger().getZone());
    if (p.getLedger().getRedisUrl() != null && !p.getLedger().getRedisUrl().isBlank()) {
      try {
        Class.forName("dev.kopeck.budget.redis.RedisLedger", false, KopeckAutoConfiguration.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("kopeck.ledger.redis-url is set, but dev.kopeck:kopeck-budget-redis is not"
            + " on the class path");
      }
      ledger = RedisLedgers.build(p.getLedger(), zone);
    } else {
      InMemoryLedger.Builder b = InMemoryLedger.builder();
      if (zone != null) {
        b.zone(zone);
      }
      ledger = b.build();
    }
    for (KopeckProperties.Budget budget : p.getBudgets()) {
      if (budget.getScope() == null || budget.getLimit() == null) {
        throw new IllegalStateException("kopeck.budgets: each budget needs a scope and a limit");
      }
      Money limit = Money.of(budget.getLimit().toPlainString(), budget.getCurrency());
      ledger.setLimit(Scope.of(budget.getScope()), limit.toNanosExact(),
          BudgetPeriod.valueOf(budget.getPeriod().toUpperCase(Locale.ROOT)), limit.currency());
    }
    return ledger;
  }

  /** The guard, telling every {@link GuardListener} bean (the metrics among them). */
  @Bean
  @ConditionalOnMissingBean
  public BudgetGuard kopeckGuard(Estimator estimator, Reconciler reconciler, BudgetLedger ledger,
      ObjectProvider<GuardListener> listeners) {
    BudgetGuard guard = new BudgetGuard(estimator, reconciler, ledger, Clock.systemUTC());
    List<GuardListener> all = listeners.orderedStream().toList();
    return all.isEmpty() ? guard : guard.withListener(GuardListener.all(all));
  }

  /** The Redis ledger, in a class of its own: loaded only when the application has Kopeck's Redis module. */
  static final class RedisLedgers {
    private RedisLedgers() {}

    static BudgetLedger build(KopeckProperties.Ledger p, ZoneId zone) {
      RedisLedger.Builder b = RedisLedger.builder().url(p.getRedisUrl()).prefix(p.getPrefix());
      if (zone != null) {
        b.zone(zone);
      }
      return b.build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"dev.kopeck.micrometer.KopeckMetrics", "io.micrometer.core.instrument.MeterRegistry"})
  @ConditionalOnBean(MeterRegistry.class)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    KopeckMetrics kopeckMetrics(MeterRegistry registry) {
      return new KopeckMetrics(registry);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"dev.kopeck.okhttp.KopeckInterceptor", "okhttp3.Interceptor"})
  static class OkHttp {
    /** Charges every call to {@code kopeck.scope}; define a bean of your own to charge by request. */
    @Bean
    @ConditionalOnMissingBean
    KopeckInterceptor kopeckInterceptor(BudgetGuard guard, KopeckProperties p) {
      List<Scope> scopes = List.of(Scope.of(p.getScope()));
      return new KopeckInterceptor(guard, request -> scopes);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer")
    @ConditionalOnProperty(prefix = "kopeck", name = "openai-http", havingValue = "true", matchIfMissing = true)
    static class SpringAiOpenAi {
      /** Spring AI's OpenAI auto-configuration hands its HTTP client builder to every such bean. */
      @Bean
      OpenAiHttpClientBuilderCustomizer kopeckOpenAiHttpClient(KopeckInterceptor interceptor) {
        return builder -> builder.interceptor(interceptor);
      }
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.ai.chat.client.advisor.api.CallAdvisor")
  static class SpringAi {
    @Bean
    @ConditionalOnMissingBean
    KopeckAdvisor kopeckAdvisor(BudgetGuard guard, KopeckProperties p) {
      return new KopeckAdvisor(guard, Scope.of(p.getScope()), p.getDefaultModel());
    }

    /** Made only where a model is configured: Spring AI's OpenAI chat model, else kopeck.default-model. */
    @Bean
    @ConditionalOnMissingBean(org.springframework.ai.tokenizer.TokenCountEstimator.class)
    @org.springframework.context.annotation.Conditional(ModelConfigured.class)
    KopeckTokenCountEstimator kopeckTokenCountEstimator(Estimator estimator,
        org.springframework.core.env.Environment env) {
      String model = env.getProperty("spring.ai.openai.chat.options.model");
      return new KopeckTokenCountEstimator(estimator, model != null ? model : env.getProperty("kopeck.default-model"));
    }
  }

  /** A model is configured for counting: Spring AI's OpenAI chat model or kopeck.default-model. */
  static final class ModelConfigured implements org.springframework.context.annotation.Condition {
    @Override
    public boolean matches(org.springframework.context.annotation.ConditionContext c,
        org.springframework.core.type.AnnotatedTypeMetadata m) {
      return c.getEnvironment().containsProperty("spring.ai.openai.chat.options.model")
          || c.getEnvironment().containsProperty("kopeck.default-model");
    }
  }

}
