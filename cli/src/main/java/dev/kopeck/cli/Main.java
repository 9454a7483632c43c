package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import dev.kopeck.base.Urls;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * {@code kopeck}: tokens and money of LLM API calls. Exit codes: 0 done, 2 bad input or bad usage
 * of the command (one line on stderr), 1 an internal fault; {@code estimate} 3 when the request
 * does not fit.
 */
public final class Main implements java.util.concurrent.Callable<Integer> {
  public static final int OK = 0;
  public static final int INTERNAL = 1;
  public static final int BAD_INPUT = 2;
  /** {@code estimate}: the request does not fit the model's limits (the estimate is printed). */
  public static final int DOES_NOT_FIT = 3;

  /**
   * The top of the command line, built without annotations as {@code count}'s is ({@link
   * CountCommand#commandLine}): {@code --help}, {@code --version} and {@code --verbose}, which every
   * command inherits.
   */
  static CommandSpec spec(Main main) {
    CommandSpec s = CommandSpec.wrapWithoutInspection(main).name("kopeck").versionProvider(new Version());
    main.spec = s;
    s.usageMessage().description("Tokens and money of LLM API calls, to the kopeck.").footer("",
        "Exit codes: 0 done, 2 bad input or usage (one line on stderr), 1 internal fault; estimate: 3 when the"
            + " request does not fit.");
    s.addOption(OptionSpec.builder("--verbose").scopeType(ScopeType.INHERIT)
        .description("On an error, also print the stack trace.").build());
    standardHelpOptions(s);
    return s;
  }

  /** picocli's {@code mixinStandardHelpOptions}, without the reflection over its mixin class. */
  static void standardHelpOptions(CommandSpec s) {
    s.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.")
        .build());
    s.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Print version information and exit.").build());
  }

  /** The subcommands, in the order the usage lists them. */
  static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(CountCommand.class, EstimateCommand.class,
      FitCommand.class, CostCommand.class, ReconcileCommand.class, BudgetCommand.class, SpendCommand.class,
      ReportCommand.class, ModelsCommand.class, PriceCommand.class, CatalogCommand.class, GatewayCommand.class,
      CommandLine.HelpCommand.class);

  /**
   * Adds the subcommand the arguments name, or all of them when they name none (usage, help). picocli
   * reads every option of every command it is given by reflection: the whole tree took 250 to 280 ms
   * of a 0.5 s start, where one command takes a fraction (docs/benchmarks.md).
   */
  static void addSubcommands(CommandLine cl, String[] args) {
    String named = null;
    for (String a : args) {
      if (!a.startsWith("-")) {
        named = a;
        break;
      }
    }
    if (named == null && (java.util.Arrays.asList(args).contains("-V")
        || java.util.Arrays.asList(args).contains("--version"))) {
      return; // the version lists no command
    }
    for (Class<?> c : SUBCOMMANDS) {
      if (name(c).equals(named) && !"help".equals(named)) {
        add(cl, c);
        return;
      }
    }
    // none, help, or a name that is not a command: all of them, for the usage and picocli's suggestions
    addAll(cl);
  }

  /** Every subcommand, in {@link #SUBCOMMANDS}' order. */
  static void addAll(CommandLine cl) {
    for (Class<?> c : SUBCOMMANDS) {
      add(cl, c);
    }
  }

  /** A subcommand's name: count's without reading annotations ({@link CountCommand#commandLine}). */
  private static String name(Class<?> c) {
    return c == CountCommand.class ? CountCommand.NAME : c.getAnnotation(Command.class).name();
  }

  private static void add(CommandLine cl, Class<?> c) {
    if (c == CountCommand.class) {
      cl.addSubcommand(CountCommand.NAME, CountCommand.commandLine());
    } else {
      cl.addSubcommand(c);
    }
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line; never throws, returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // one way to write numbers everywhere (1,410 and 0.020446), whatever the machine's locale: some
    // output formats with an explicit Locale.ROOT, some with the default, and they must agree
    java.util.Locale.setDefault(java.util.Locale.ROOT);
    Main main = new Main();
    CommandLine cl = new CommandLine(spec(main));
    addSubcommands(cl, args);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // numbers said in the user's words, not a Java exception's
    cl.registerConverter(java.math.BigDecimal.class, v -> {
      try {
        return new java.math.BigDecimal(v);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + v + "' is not a decimal number (like 0.1 or 25)");
      }
    });
    CommandLine.ITypeConverter<Long> whole = v -> {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + v + "' is not a whole number");
      }
    };
    cl.registerConverter(Long.class, whole);
    cl.registerConverter(Long.TYPE, whole);
    CommandLine.ITypeConverter<Integer> small = v -> {
      try {
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + v + "' is not a whole number up to 2,147,483,647");
      }
    };
    cl.registerConverter(Integer.class, small);
    cl.registerConverter(Integer.TYPE, small);
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      String name = c.getCommandSpec().qualifiedName();
      err.println(name.equals("kopeck") ? "kopeck: " + ex.getMessage()
          : name + ": " + ex.getMessage() + " (see " + name + " --help)");
      err.flush();
      return BAD_INPUT;
    });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      boolean verbose = hasVerbose(args);
      if (ex instanceof InputException) {
        err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage()); // made with URLs redacted
        if (verbose) {
          printRedacted(ex, err);
        }
        err.flush();
        return BAD_INPUT;
      }
      err.println(c.getCommandSpec().qualifiedName() + ": internal error: " + Urls.redactAll(String.valueOf(ex))
          + (verbose ? "" : " (rerun with --verbose for the stack trace)"));
      if (verbose) {
        printRedacted(ex, err);
      }
      err.flush();
      return INTERNAL;
    });
    try {
      int code = cl.execute(args);
      out.flush();
      return code;
    } catch (OutOfMemoryError e) {
      err.println("kopeck: out of memory (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB heap): give java a"
          + " larger -Xmx; a log line needs about 32 MB plus 5 times its length (docs/reconcile.md)");
      err.flush();
      return INTERNAL;
    } catch (RuntimeException | Error e) {
      err.println("kopeck: internal error: " + e);
      err.flush();
      return INTERNAL;
    }
  }

  /** The stack trace, every URL in it redacted (a cause's message may quote a connection URL). */
  private static void printRedacted(Throwable ex, PrintWriter err) {
    java.io.StringWriter w = new java.io.StringWriter();
    ex.printStackTrace(new PrintWriter(w));
    err.print(Urls.redactAll(w.toString()));
  }

  private static boolean hasVerbose(String[] args) {
    for (String s : args) {
      if (s.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** The version and the commit the build wrote (build/version.sh). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in == null) {
          return new String[] {"kopeck (built without its version file)"};
        }
        p.load(in);
      }
      return new String[] {"kopeck " + p.getProperty("version") + " (commit " + p.getProperty("commit") + ")"};
    }
  }

  /** {@code kopeck} alone: the commands, on stderr, and exit 2 (nothing was done). */
  @Override
  public Integer call() {
    // no command: bad usage, one line like every other (kopeck --help prints the whole usage)
    spec.commandLine().getErr().println("kopeck: no command given: one of " + String.join(", ",
        spec.commandLine().getSubcommands().keySet()) + " (kopeck --help, or kopeck COMMAND --help)");
    return BAD_INPUT;
  }

  CommandSpec spec;
}
