package io.forceflux.cli;

import io.forceflux.testkit.FakeOrg;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options {@code query} and {@code bulk query} share: which rows, and whether from an embedded fake org. */
final class QueryOptions {
  /** The largest {@code --sim-accounts}: a fake org keeps its records in memory. */
  static final long MAX_SIM_ACCOUNTS = 100_000_000L;

  @Option(names = "--all", description = "Include deleted and archived records (queryAll).")
  boolean all;

  @Option(names = "--sim", description = "Query an embedded fake org instead of SF_* credentials.")
  boolean sim;

  @Option(names = "--sim-accounts", paramLabel = "N", defaultValue = "10000",
      description = "With --sim: Accounts in the fake org. Default: ${DEFAULT-VALUE}.")
  long simAccounts;

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
