/** Kopeck in the request path of the JDK's HTTP client. */
module dev.kopeck.jdkhttp {
  requires transitive dev.kopeck.core;
  requires transitive java.net.http;

  exports dev.kopeck.jdkhttp;
}
