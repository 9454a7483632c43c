package dev.kopeck.jdkhttp;

import static dev.kopeck.testkit.GuardedClientContract.TEAM;

import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.testkit.HostileUpstreamContract;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** The JDK's HttpClient wrapped by KopeckHttpClient against a hostile upstream. */
class KopeckHttpClientHostileTest extends HostileUpstreamContract {
  @Override
  protected Client client(BudgetGuard guard, Duration readTimeout) {
    HttpClient http = new KopeckHttpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), guard,
        r -> List.of(TEAM));
    return (url, body, limit) -> {
      HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(readTimeout)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<InputStream> r;
      try {
        r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      try (InputStream in = r.body()) {
        byte[] b = new byte[1 << 16];
        long total = 0;
        while (limit < 0 || total < limit) {
          int n = in.read(b, 0, limit < 0 ? b.length : (int) Math.min(b.length, limit - total));
          if (n < 0) {
            break;
          }
          total += n;
        }
        return new Read(r.statusCode(), total, "");
      }
    };
  }
}
