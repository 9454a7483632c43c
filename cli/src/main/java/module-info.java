/** The kopeck command line. */
module dev.kopeck.cli {
  requires dev.kopeck.core;
  requires dev.kopeck.budget.redis;
  requires dev.kopeck.spend;
  requires java.sql;
  requires org.postgresql.jdbc;
  requires info.picocli;

  opens dev.kopeck.cli to info.picocli;
}
