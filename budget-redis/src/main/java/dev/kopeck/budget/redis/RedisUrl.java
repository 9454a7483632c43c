package dev.kopeck.budget.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code redis://[user:password@]host[:port][/database]} and {@code rediss://} (TLS), parsed
 * without ever putting the password in a message: an error shows the URL as
 * {@link dev.kopeck.base.Urls#redact} leaves it.
 */
record RedisUrl(boolean tls, String host, int port, String user, String password, int database) {
  static RedisUrl parse(String url) {
    String shown = redact(url);
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a Redis URL: " + shown);
    }
    String scheme = u.getScheme();
    if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
      throw new IllegalArgumentException("a Redis URL starts redis:// or rediss:// (TLS): " + shown);
    }
    if (u.getHost() == null) {
      throw new IllegalArgumentException("a Redis URL needs a host, as redis://host:6379: " + shown);
    }
    String user = null;
    String password = null;
    String info = u.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      if (colon < 0) {
        password = decode(info); // redis://secret@host: a password alone, as redis-cli -u reads it
      } else {
        user = colon == 0 ? null : decode(info.substring(0, colon));
        password = decode(info.substring(colon + 1));
      }
    }
    int db = 0;
    String path = u.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("the path of a Redis URL is a database number, as /2: " + shown);
      }
      if (db < 0) {
        throw new IllegalArgumentException("a database number must not be negative: " + shown);
      }
    }
    return new RedisUrl("rediss".equals(scheme), u.getHost(), u.getPort() < 0 ? 6379 : u.getPort(), user, password, db);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL as it may be shown: {@link dev.kopeck.base.Urls#redact}. */
  static String redact(String url) {
    return dev.kopeck.base.Urls.redact(url);
  }

  @Override
  public String toString() {
    return (tls ? "rediss://" : "redis://") + (password == null ? "" : "***@") + host + ":" + port + "/" + database;
  }
}
