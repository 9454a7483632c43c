package dev.kopeck.okhttp;

import static dev.kopeck.testkit.GuardedClientContract.TEAM;

import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.testkit.HostileUpstreamContract;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The interceptor in a real OkHttp client against a hostile upstream. */
class KopeckInterceptorHostileTest extends HostileUpstreamContract {
  @Override
  protected Client client(BudgetGuard guard, Duration readTimeout) {
    OkHttpClient http = new OkHttpClient.Builder().addInterceptor(new KopeckInterceptor(guard, r -> List.of(TEAM)))
        .readTimeout(readTimeout).retryOnConnectionFailure(false).build();
    return (url, body, limit) -> {
      Request req = new Request.Builder().url(url).post(RequestBody.create(body, MediaType.get("application/json")))
          .build();
      try (Response r = http.newCall(req).execute(); InputStream in = r.body().byteStream()) {
        return read(r.code(), in, limit);
      }
    };
  }

  static Read read(int code, InputStream in, long limit) throws IOException {
    byte[] b = new byte[1 << 16];
    long total = 0;
    StringBuilder head = new StringBuilder();
    while (limit < 0 || total < limit) {
      int n = in.read(b, 0, limit < 0 ? b.length : (int) Math.min(b.length, limit - total));
      if (n < 0) {
        break;
      }
      if (head.length() < 200) {
        head.append(new String(b, 0, Math.min(n, 200), java.nio.charset.StandardCharsets.UTF_8));
      }
      total += n;
    }
    return new Read(code, total, head.toString());
  }
}
