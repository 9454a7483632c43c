package dev.kopeck.base;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Connection URLs made fit to print: {@code redis://}, {@code rediss://}, {@code postgresql://},
 * {@code jdbc:postgresql://} and any other {@code scheme://} URL lose their secrets, so an error
 * message, a status line or a {@code --verbose} stack trace never shows a password.
 *
 * <ul>
 *   <li>The user information: everything between {@code //} and the last {@code @} before the host
 *       (a password may hold {@code / ? # @} unencoded, as people write them). {@code user:secret@}
 *       becomes {@code user:***@}; without a colon, the whole of it is taken for a password (Redis
 *       reads {@code redis://secret@host} so) and becomes {@code ***@}.
 *   <li>Query and property parameters that carry secrets ({@code password}, {@code sslpassword},
 *       {@code pass}, {@code pwd}, {@code secret}, {@code token}, {@code access_token},
 *       {@code api_key}, {@code apikey}, {@code auth}; any case), after {@code ?}, {@code &} or
 *       {@code ;}: their values become {@code ***}.
 * </ul>
 *
 * When in doubt it hides more: an {@code @} later in the URL (an e-mail in the query) hides what
 * is before it too.
 */
public final class Urls {
  private static final Set<String> SECRET_PARAMETERS = Set.of("password", "sslpassword", "pass", "passwd", "pwd",
      "secret", "token", "access_token", "api_key", "apikey", "auth");
  private static final Pattern PARAMETER = Pattern.compile("([?&;])([^=&;?#]+)=([^&;#]*)");
  /** A URL inside some text: a scheme (with jdbc: before it, or not), {@code //}, and what follows up to white space or a quote. */
  private static final Pattern IN_TEXT = Pattern.compile("(?i)\\b(?:jdbc:)?[a-z][a-z0-9+.-]*://[^\\s\"'<>]*[^\\s\"'<>,.;)]");

  private Urls() {}

  /** {@code url} with its user information's password and its secret parameters replaced by {@code ***}. */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    String s = userInfo(url);
    return parameters(s);
  }

  /** {@code text} with every URL in it redacted (a message, a line of a stack trace). */
  public static String redactAll(String text) {
    if (text == null || text.indexOf("://") < 0 && text.indexOf('@') < 0 && text.indexOf('=') < 0) {
      return text;
    }
    Matcher m = IN_TEXT.matcher(text);
    StringBuilder b = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(redact(m.group())));
    }
    m.appendTail(b);
    return b.toString();
  }

  private static String userInfo(String url) {
    int slashes = url.indexOf("//");
    int from = slashes < 0 ? 0 : slashes + 2;
    int at = url.lastIndexOf('@');
    if (at < from) {
      return url;
    }
    String info = url.substring(from, at);
    int colon = info.indexOf(':');
    String shown = colon >= 0 && noneOf(info.substring(0, colon), "/?#") ? info.substring(0, colon) + ":***" : "***";
    return url.substring(0, from) + shown + url.substring(at);
  }

  private static boolean noneOf(String s, String chars) {
    for (int i = 0; i < chars.length(); i++) {
      if (s.indexOf(chars.charAt(i)) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static String parameters(String s) {
    Matcher m = PARAMETER.matcher(s);
    StringBuilder b = new StringBuilder(s.length());
    while (m.find()) {
      String name = m.group(2).trim().toLowerCase(Locale.ROOT);
      String replacement = SECRET_PARAMETERS.contains(name) ? m.group(1) + m.group(2) + "=***" : m.group();
      m.appendReplacement(b, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(b);
    return b.toString();
  }
}
