/** Kopeck's budget gateway: an OpenAI-compatible reverse proxy with a budget per virtual key. */
module dev.kopeck.gateway {
  requires transitive dev.kopeck.core;
  requires dev.kopeck.micrometer;
  requires micrometer.core;
  requires micrometer.registry.prometheus;
  requires com.fasterxml.jackson.databind;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.client;
  requires org.eclipse.jetty.http;
  requires org.eclipse.jetty.io;
  requires org.eclipse.jetty.util;

  exports dev.kopeck.gateway;
}
