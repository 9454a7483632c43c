/** The kopeck command line. */
module dev.kopeck.cli {
  requires dev.kopeck.core;
  requires dev.kopeck.budget.redis;
  requires dev.kopeck.spend;
  requires dev.kopeck.gateway;
  requires dev.kopeck.opentelemetry;
  requires jdk.unsupported; // sun.misc.Signal: kopeck gateway reloads its keys on SIGHUP
  requires java.sql;
  requires org.postgresql.jdbc;
  requires info.picocli;

  opens dev.kopeck.cli to info.picocli;
}
