/** Kopeck in the request path of OkHttp clients (and of the openai-java client built on OkHttp). */
module dev.kopeck.okhttp {
  requires transitive dev.kopeck.core;
  requires transitive okhttp3;
  requires okio;

  exports dev.kopeck.okhttp;
}
