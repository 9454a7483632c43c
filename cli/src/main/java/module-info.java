/** The kopeck command line. */
module dev.kopeck.cli {
  requires dev.kopeck.core;
  requires dev.kopeck.budget.redis;
  requires info.picocli;

  opens dev.kopeck.cli to info.picocli;
}
