// The load benchmark's upstream: answers as an OpenAI-compatible API does, from memory, on loopback
// (the JDK's HTTP server, no dependency). A plain chat call gets a fixed answer (1,000 tokens in,
// 200 out) at once; a streamed one gets CHUNKS chunks GAP_MS apart, then its usage and [DONE].
//   java -Dsun.net.httpserver.nodelay=true bench/gateway/LoadUpstream.java PORT [CHUNKS] [GAP_MS]
// (without nodelay the JDK's server waits on Nagle's algorithm: 40 ms an answer on loopback)
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

public class LoadUpstream {
  static final String MODEL = "google/gemini-2.0-flash-001";
  static final String ANSWER = "{\"id\":\"gen-1\",\"object\":\"chat.completion\",\"created\":1741608000,\"model\":\"" + MODEL
      + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello there, friend.\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,\"total_tokens\":1200}}";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int gap = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    server.setExecutor(Executors.newFixedThreadPool(600));
    byte[] plain = ANSWER.getBytes(StandardCharsets.UTF_8);
    String chunk = "data: {\"id\":\"gen-2\",\"object\":\"chat.completion.chunk\",\"created\":1741608000,\"model\":\"" + MODEL
        + "\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" word\"}}]}\n\n";
    String usage = "data: {\"id\":\"gen-2\",\"object\":\"chat.completion.chunk\",\"created\":1741608000,\"model\":\"" + MODEL
        + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":200,\"total_tokens\":1200}}\n\n"
        + "data: [DONE]\n\n";
    server.createContext("/", x -> {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      boolean stream = body.contains("\"stream\":true");
      try (OutputStream out = x.getResponseBody()) {
        if (!stream) {
          x.getResponseHeaders().set("Content-Type", "application/json");
          x.sendResponseHeaders(200, plain.length);
          out.write(plain);
          return;
        }
        x.getResponseHeaders().set("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        for (int i = 0; i < chunks; i++) {
          out.write(chunk.getBytes(StandardCharsets.UTF_8));
          out.flush();
          Thread.sleep(gap);
        }
        out.write(usage.getBytes(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
    System.out.println("upstream on 127.0.0.1:" + port);
  }
}
