// A pass-through proxy on Vert.x 5 (vertx-core's HttpServer and HttpClient, on its event loop): the
// shape the gateway would take on Vert.x, without the budget, for bench/gateway-server-choice.sh.
//   java -cp CLASSPATH bench/gateway/server-choice/VertxPassThrough.java PORT UPSTREAM_PORT
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.Set;

public class VertxPassThrough {
  static final Set<String> HOP = Set.of("connection", "keep-alive", "transfer-encoding", "host", "upgrade", "te");

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int up = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(up),
        new PoolOptions().setHttp1MaxSize(1000));
    vertx.createHttpServer().requestHandler(req -> {
      req.pause();
      client.request(req.method(), req.uri()).onSuccess(creq -> {
        req.headers().forEach((k, v) -> {
          if (!HOP.contains(k.toLowerCase())) {
            creq.headers().add(k, v);
          }
        });
        if (!creq.headers().contains("content-length")) {
          creq.setChunked(true);
        }
        creq.send(req).onSuccess(cres -> {
          req.response().setStatusCode(cres.statusCode());
          cres.headers().forEach((k, v) -> {
            if (!HOP.contains(k.toLowerCase())) {
              req.response().headers().add(k, v);
            }
          });
          if (!req.response().headers().contains("content-length")) {
            req.response().setChunked(true);
          }
          req.response().send(cres);
        }).onFailure(e -> req.response().setStatusCode(502).end());
      }).onFailure(e -> req.response().setStatusCode(502).end());
    }).listen(port, "127.0.0.1").await();
    System.out.println("vert.x pass-through on 127.0.0.1:" + port);
  }
}
