package dev.kopeck.okhttp;

import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.testkit.GuardedClientContract;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The interceptor in a real OkHttp client: the scenarios every HTTP integration must pass. */
class KopeckInterceptorTest extends GuardedClientContract {
  static final MediaType JSON = MediaType.get("application/json");

  @Override
  protected Client client(BudgetGuard guard, Duration timeout) {
    KopeckInterceptor k = new KopeckInterceptor(guard, r -> List.of(TEAM));
    OkHttpClient http = new OkHttpClient.Builder().addInterceptor(k).readTimeout(timeout)
        .retryOnConnectionFailure(false).build();
    return new Client() {
      @Override
      public Reply post(String url, String body, String key) throws IOException {
        try (Response r = http.newCall(request(url, body, key)).execute()) {
          return new Reply(r.code(), r.body().string(), r.header("Retry-After"));
        }
      }

      @Override
      public void postAndCloseEarly(String url, String body, String key) throws IOException {
        try (Response r = http.newCall(request(url, body, key)).execute()) {
          r.body().source().request(10); // reads a little, then closes
        }
      }
    };
  }

  private static Request request(String url, String body, String key) {
    Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(body, JSON));
    if (key != null) {
      b.header(KopeckInterceptor.REQUEST_ID_HEADER, key);
    }
    return b.build();
  }
}
