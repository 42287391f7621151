package io.forceflux.cli;

import io.forceflux.testkit.FakeOrg;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options {@code query} and {@code bulk query} share: which rows, and whether from an embedded fake org.
 * {@code bulk query} reads them from the annotations (a mixin); {@code query} declares them in code with
 * {@link #declare} (see {@link ForceFlux#spec}). Both take names and texts from the constants here.
 */
final class QueryOptions {
  /** The largest {@code --sim-accounts}: a fake org keeps its records in memory. */
  static final long MAX_SIM_ACCOUNTS = 100_000_000L;

  private static final String ALL = "--all";
  private static final String ALL_TEXT = "Include deleted and archived records (queryAll).";
  private static final String SIM = "--sim";
  private static final String SIM_TEXT = "Query an embedded fake org instead of SF_* credentials.";
  private static final String SIM_ACCOUNTS = "--sim-accounts";
  private static final String SIM_ACCOUNTS_DEFAULT = "10000";
  private static final String SIM_ACCOUNTS_TEXT = "With --sim: Accounts in the fake org. Default: ${DEFAULT-VALUE}.";

  @Option(names = ALL, description = ALL_TEXT)
  boolean all;

  @Option(names = SIM, description = SIM_TEXT)
  boolean sim;

  @Option(names = SIM_ACCOUNTS, paramLabel = "N", defaultValue = SIM_ACCOUNTS_DEFAULT, description = SIM_ACCOUNTS_TEXT)
  long simAccounts;

  /** Declares these options on {@code spec}, as the annotations above do; {@link #read} takes their values. */
  static void declare(CommandSpec spec) {
    spec.addOption(OptionSpec.builder(ALL).type(boolean.class).initialValue(false).description(ALL_TEXT).build());
    spec.addOption(OptionSpec.builder(SIM).type(boolean.class).initialValue(false).description(SIM_TEXT).build());
    spec.addOption(OptionSpec.builder(SIM_ACCOUNTS).paramLabel("N").type(long.class)
        .defaultValue(SIM_ACCOUNTS_DEFAULT).description(SIM_ACCOUNTS_TEXT).build());
  }

  /** The values of the options {@link #declare}d on {@code spec}. */
  void read(CommandSpec spec) {
    all = spec.findOption(ALL).<Boolean>getValue();
    sim = spec.findOption(SIM).<Boolean>getValue();
    simAccounts = spec.findOption(SIM_ACCOUNTS).<Long>getValue();
  }

  /** Rejects values out of range, as a usage error of {@code spec}'s command. */
  void validate(CommandSpec spec) {
    if (simAccounts < 0 || simAccounts > MAX_SIM_ACCOUNTS) {
      throw new ParameterException(spec.commandLine(), "--sim-accounts must be 0.." + MAX_SIM_ACCOUNTS + ": "
          + simAccounts);
    }
  }

  /** The fake org {@code --sim} queries. */
  FakeOrg.Builder simOrg() {
    return FakeOrg.builder().accounts(simAccounts);
  }
}
