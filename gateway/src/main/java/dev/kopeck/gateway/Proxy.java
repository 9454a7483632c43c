package dev.kopeck.gateway;

import dev.kopeck.budget.Admission;
import dev.kopeck.budget.BudgetLedger;
import dev.kopeck.core.guard.BudgetGuard;
import dev.kopeck.core.guard.Charge;
import dev.kopeck.core.guard.GuardListener;
import dev.kopeck.core.guard.HttpChatGuard;
import dev.kopeck.micrometer.KopeckMetrics;
import dev.kopeck.pricing.money.ExchangeRates;
import dev.kopeck.pricing.money.Money;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The gateway's one handler: health and metrics, the key check, then a guarded call or a pass-through.
 * It blocks: each call holds a thread of the server's pool from its request to the end of its
 * answer, so the guard's reserve and commit (a Redis round trip) and the stream's tap run in plain
 * sequence on that thread (docs/design/gateway.md says why that was chosen).
 */
final class Proxy extends Handler.Abstract {
  /** A request body larger than this is refused (413) rather than held: 64 MiB, room for inline images. */
  static final int MAX_BODY = 64 << 20;
  static final String COST = "x-kopeck-cost";
  static final String CURRENCY = "x-kopeck-currency";
  static final String REMAINING = "x-kopeck-remaining";

  /** Headers that belong to one connection, or that the gateway sets itself: never copied across. */
  private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
      "authorization", "date", "server");

  private final BudgetGuard guard;
  private final BudgetLedger ledger;
  private final PrometheusMeterRegistry registry;
  private final HttpClient client;
  private final String upstream;
  private final String bearer;
  private final long idleMillis;
  private final ConcurrentHashMap<Currency, HttpChatGuard> byCurrency = new ConcurrentHashMap<>();
  /** kopeck.scope.cost by scope and currency, registered once: a scope comes from a keys file. */
  private final ConcurrentHashMap<List<String>, Counter> scopeCost = new ConcurrentHashMap<>();
  private volatile KeyRing ring;

  Proxy(BudgetGuard guard, List<GuardListener> listeners, PrometheusMeterRegistry registry, HttpClient client,
      URI upstream, String key, Duration idle, KeyRing ring) {
    List<GuardListener> all = new ArrayList<>();
    all.add(new KopeckMetrics(registry));
    all.addAll(listeners);
    this.guard = guard.withListener(GuardListener.all(all));
    this.ledger = guard.ledger();
    this.registry = registry;
    this.client = client;
    this.upstream = upstream.toString();
    this.bearer = "Bearer " + key;
    this.idleMillis = idle.toMillis();
    keys(ring);
  }

  /** Puts {@code r} in force: its scopes' limits set on the ledger first, then its keys. */
  void keys(KeyRing r) {
    for (KeyRing.Entry e : r.scopes().values()) {
      ledger.setLimit(e.scope(), e.limit().toNanosExact(), e.period(), e.limit().currency());
    }
    ring = r;
  }

  KeyRing ring() {
    return ring;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      serve(request, response);
      callback.succeeded();
    } catch (Throwable t) {
      callback.failed(t);
    }
    return true;
  }

  private void serve(Request request, Response response) throws IOException {
    String path = request.getHttpURI().getPath();
    String method = request.getMethod();
    if (path == null) {
      path = "/";
    }
    if (path.equals("/healthz") && method.equals("GET")) {
      write(response, 200, "text/plain; charset=utf-8", "ok\n");
      return;
    }
    if (path.equals("/metrics") && method.equals("GET")) {
      write(response, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
      return;
    }
    if (!path.startsWith("/v1/")) {
      error(response, 404, "invalid_request_error", "unknown_url", "The gateway serves the OpenAI API under /v1/ (give"
          + " your SDK the base URL http://HOST:PORT/v1), /metrics and /healthz; not " + method + " " + path);
      return;
    }
    KeyRing.Entry key = ring.find(bearerToken(request.getHeaders().get("Authorization")));
    if (key == null) {
      error(response, 401, "invalid_request_error", "invalid_api_key", "Incorrect or missing API key: give a key of the"
          + " gateway's keys file as the Bearer token.");
      return;
    }
    String query = request.getHttpURI().getQuery();
    String target = upstream + path.substring(3) + (query == null ? "" : "?" + query);
    if (HttpChatGuard.guards(method, path)) {
      guarded(request, response, key, target);
    } else {
      passThrough(request, response, method, target);
    }
  }

  private static String bearerToken(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  private HttpChatGuard guardFor(Currency c) {
    return byCurrency.computeIfAbsent(c, x -> new HttpChatGuard(guard.inCurrency(x, ExchangeRates.none())));
  }

  private void guarded(Request request, Response response, KeyRing.Entry key, String target) throws IOException {
    byte[] body;
    try (InputStream in = Content.Source.asInputStream(request)) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      error(response, 413, "invalid_request_error", "request_too_large", "The request body is over the gateway's "
          + (MAX_BODY >> 20) + " MiB.");
      return;
    }
    String given = request.getHeaders().get(HttpChatGuard.REQUEST_ID_HEADER);
    boolean hasKey = given != null && !given.isBlank();
    // a caller's idempotency key is theirs alone: another team's same key is another call
    String id = hasKey ? key.scope().name() + "/" + given : null;
    Currency currency = key.limit().currency();
    HttpChatGuard.Start start = guardFor(currency).start(new String(body, StandardCharsets.UTF_8), id,
        () -> List.of(key.scope()));
    if (start instanceof HttpChatGuard.Answer a) {
      String text = a.body();
      if (a.refusal().isPresent()) {
        Admission.Refusal r = a.refusal().get();
        text = refusalBody(r, currency);
        response.getHeaders().put(REMAINING, Money.ofNanos(Math.max(0, r.remainingNanos()), currency).toPlainString());
      }
      write(response, a.status(), "application/json", text);
      return;
    }
    HttpChatGuard.Call call = (HttpChatGuard.Call) start;
    String type = request.getHeaders().get("Content-Type");
    org.eclipse.jetty.client.Request up = client.newRequest(target).method("POST")
        .idleTimeout(idleMillis, TimeUnit.MILLISECONDS)
        .headers(h -> {
          copy(request.getHeaders(), h);
          h.put("Authorization", bearer);
          h.put(HttpChatGuard.REQUEST_ID_HEADER, hasKey ? given : call.id());
          h.put("Accept-Encoding", "identity"); // the gateway reads the answer
        })
        // one buffer: BytesRequestContent maps its byte arrays through a Stream, 4% of a call's profile
        .body(new ByteBufferRequestContent(type == null ? "application/json" : type,
            ByteBuffer.wrap(call.body().getBytes(StandardCharsets.UTF_8))));
    InputStreamResponseListener listener = new InputStreamResponseListener();
    up.send(listener);
    org.eclipse.jetty.client.Response r;
    try {
      r = listener.get(idleMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      up.abort(e);
      call.failed("the upstream did not answer: " + e);
      upstreamFailed(response, e);
      return;
    }
    InputStream in = listener.getInputStream();
    if (!call.answered(r.getStatus())) { // released; the error passes as it came
      answer(response, r, true);
      pipe(in, response, r);
      return;
    }
    if (!call.stream()) {
      byte[] answer;
      try {
        answer = in.readAllBytes();
      } catch (IOException e) {
        call.failed("the upstream's answer broke off: " + e);
        upstreamFailed(response, e);
        return;
      }
      call.completed(new String(answer, StandardCharsets.UTF_8));
      answer(response, r, true);
      if (call.charge().isPresent()) {
        Charge ch = call.charge().get();
        response.getHeaders().put(COST, ch.reconciliation().price().toPlainString());
        response.getHeaders().put(CURRENCY, ch.reconciliation().price().currency().getCurrencyCode());
        counted(key, ch);
        response.getHeaders().put(REMAINING, remaining(key));
      }
      try (OutputStream out = Content.Sink.asOutputStream(response)) {
        out.write(answer);
      }
      return;
    }
    stream(in, response, r, call, key);
  }

  /** The stream, a line at a time through the guard's tap, each upstream read written on at once. */
  private void stream(InputStream in, Response response, org.eclipse.jetty.client.Response r, HttpChatGuard.Call call,
      KeyRing.Entry key) throws IOException {
    answer(response, r, false);
    OutputStream out = Content.Sink.asOutputStream(response);
    byte[] buf = new byte[8192];
    ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    ByteArrayOutputStream pass = new ByteArrayOutputStream(8192);
    IOException cut = null;
    try {
      int n;
      while ((n = in.read(buf)) != -1) {
        int from = 0;
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            line.write(buf, from, i + 1 - from);
            take(call, line, pass);
            from = i + 1;
          }
        }
        line.write(buf, from, n - from);
        if (pass.size() > 0) {
          try {
            pass.writeTo(out);
          } catch (IOException clientGone) {
            r.abort(clientGone); // the caller left: so does the upstream call
            cut = clientGone;
            break;
          }
          pass.reset();
        }
      }
      if (cut == null && line.size() > 0) {
        take(call, line, pass);
        pass.writeTo(out);
      }
    } catch (IOException upstreamBroke) {
      cut = upstreamBroke;
    } finally {
      call.ended(); // the usage seen is committed, or an estimate of the text that passed
      call.charge().ifPresent(ch -> counted(key, ch));
    }
    if (cut != null) {
      throw cut; // the caller sees the stream cut, as it was
    }
    out.close();
  }

  private static void take(HttpChatGuard.Call call, ByteArrayOutputStream line, ByteArrayOutputStream pass)
      throws IOException { // never, from one array to another
    if (call.line(line.toString(StandardCharsets.UTF_8))) {
      line.writeTo(pass);
    }
    line.reset();
  }

  private void counted(KeyRing.Entry key, Charge ch) {
    String scope = key.scope().name();
    String currency = ch.budgetCurrency().getCurrencyCode();
    scopeCost.computeIfAbsent(List.of(scope, currency), k -> Counter.builder("kopeck.scope.cost")
            .description("the cost committed per scope of the gateway's keys, in the budget currency's units")
            .tag("scope", scope).tag(KopeckMetrics.CURRENCY, currency).register(registry))
        .increment(ch.commit().actualNanos() / 1e9);
  }

  private String remaining(KeyRing.Entry key) {
    try {
      long n = ledger.status(key.scope()).remainingNanos();
      return n == Long.MAX_VALUE ? "unlimited" : Money.ofNanos(n, key.limit().currency()).toPlainString();
    } catch (RuntimeException storeDown) {
      return "unknown";
    }
  }

  private void passThrough(Request request, Response response, String method, String target) throws IOException {
    org.eclipse.jetty.client.Request up = client.newRequest(target).method(method)
        .idleTimeout(idleMillis, TimeUnit.MILLISECONDS)
        .headers(h -> {
          copy(request.getHeaders(), h);
          h.put("Authorization", bearer);
        });
    if (request.getLength() > 0 || request.getHeaders().contains("Transfer-Encoding")) {
      String type = request.getHeaders().get("Content-Type");
      up.body(new InputStreamRequestContent(type == null ? "application/octet-stream" : type,
          Content.Source.asInputStream(request)));
    }
    InputStreamResponseListener listener = new InputStreamResponseListener();
    up.send(listener);
    org.eclipse.jetty.client.Response r;
    try {
      r = listener.get(idleMillis, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      up.abort(e);
      upstreamFailed(response, e);
      return;
    }
    answer(response, r, true);
    pipe(listener.getInputStream(), response, r);
  }

  /** The upstream's answer, byte for byte, each read written on at once. */
  private static void pipe(InputStream in, Response response, org.eclipse.jetty.client.Response r) throws IOException {
    OutputStream out = Content.Sink.asOutputStream(response);
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) != -1) {
      try {
        out.write(buf, 0, n);
      } catch (IOException clientGone) {
        r.abort(clientGone);
        throw clientGone;
      }
    }
    out.close();
  }

  /** The upstream's status and headers, but those of one connection. */
  private static void answer(Response response, org.eclipse.jetty.client.Response r, boolean keepLength) {
    response.setStatus(r.getStatus());
    HttpFields.Mutable h = response.getHeaders();
    for (HttpField f : r.getHeaders()) {
      String n = f.getLowerCaseName();
      if (!HOP.contains(n) || keepLength && n.equals("content-length")) {
        h.add(f.getName(), f.getValue());
      }
    }
  }

  private static void copy(HttpFields from, HttpFields.Mutable to) {
    for (HttpField f : from) {
      if (!HOP.contains(f.getLowerCaseName())) {
        to.add(f.getName(), f.getValue());
      }
    }
  }

  private static void upstreamFailed(Response response, Exception e) throws IOException {
    Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
    boolean timeout = c instanceof java.util.concurrent.TimeoutException;
    error(response, timeout ? 504 : 502, "api_error", timeout ? "upstream_timeout" : "upstream_unreachable",
        "The gateway could not get an answer from the upstream: " + c);
  }

  private static String refusalBody(Admission.Refusal r, Currency c) {
    String message = "Kopeck refused the call: the budget of " + r.scope().name() + " (" + r.periodId() + ") has "
        + Money.ofNanos(Math.max(0, r.remainingNanos()), c).toPlainString() + " " + c.getCurrencyCode() + " left of "
        + Money.ofNanos(r.limitNanos(), c).toPlainString() + ", and the call may cost up to "
        + Money.ofNanos(r.askedNanos(), c).toPlainString() + " " + c.getCurrencyCode() + ".";
    return HttpChatGuard.errorBody("insufficient_budget", "budget_exceeded", message);
  }

  static void error(Response response, int status, String type, String code, String message) throws IOException {
    write(response, status, "application/json", HttpChatGuard.errorBody(type, code, message));
  }

  private static void write(Response response, int status, String type, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put("Content-Type", type);
    response.getHeaders().put("Content-Length", String.valueOf(b.length));
    Content.Sink.write(response, true, ByteBuffer.wrap(b));
  }

}
