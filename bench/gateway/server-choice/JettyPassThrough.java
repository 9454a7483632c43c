// A pass-through proxy on Jetty 12 (its server and client, a blocking thread a call, as the gateway
// is built), without the budget, for bench/gateway-server-choice.sh.
//   java -cp CLASSPATH bench/gateway/server-choice/JettyPassThrough.java PORT UPSTREAM_PORT
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamRequestContent;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

public class JettyPassThrough {
  static final Set<String> HOP = Set.of("connection", "keep-alive", "transfer-encoding", "host", "upgrade", "te",
      "content-length", "date", "server");

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String up = "http://127.0.0.1:" + args[1];
    HttpClient client = new HttpClient();
    client.setMaxConnectionsPerDestination(1000);
    client.getContentDecoderFactories().clear();
    client.start();
    Server server = new Server(new QueuedThreadPool(1000, 8));
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(port);
    server.addConnector(c);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        try {
          var r = client.newRequest(up + request.getHttpURI().getPathQuery()).method(request.getMethod())
              .headers(h -> {
                for (HttpField f : request.getHeaders()) {
                  if (!HOP.contains(f.getLowerCaseName())) {
                    h.add(f.getName(), f.getValue());
                  }
                }
              });
          if (request.getLength() > 0) {
            r.body(new InputStreamRequestContent(Content.Source.asInputStream(request)));
          }
          InputStreamResponseListener l = new InputStreamResponseListener();
          r.send(l);
          var res = l.get(60, TimeUnit.SECONDS);
          response.setStatus(res.getStatus());
          for (HttpField f : res.getHeaders()) {
            if (!HOP.contains(f.getLowerCaseName()) || f.getLowerCaseName().equals("content-length")) {
              response.getHeaders().add(f.getName(), f.getValue());
            }
          }
          OutputStream out = Content.Sink.asOutputStream(response);
          InputStream in = l.getInputStream();
          byte[] buf = new byte[8192];
          int n;
          while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
          }
          out.close();
          callback.succeeded();
        } catch (Throwable t) {
          callback.failed(t);
        }
        return true;
      }
    });
    server.start();
    System.out.println("jetty pass-through on 127.0.0.1:" + port);
  }
}
