package io.forceflux.reactor.client;

import java.util.Objects;

/**
 * A SOQL query and how to run it. Immutable: every option returns a new {@code Query}; invalid options fail at
 * once with {@link IllegalArgumentException}, never inside the stream.
 *
 * <pre>{@code
 * client.query(Query.of("SELECT Id, Name FROM Account").resumable(true).batchSize(500), Account.class)
 * }</pre>
 */
public final class Query {
  /** The smallest batch size Salesforce honours. */
  public static final int MIN_BATCH_SIZE = 200;
  /** The largest (and Salesforce's default) batch size. */
  public static final int MAX_BATCH_SIZE = 2000;

  private final String soql;
  private final boolean all;
  private final boolean resumable;
  private final int batchSize;

  private Query(String soql, boolean all, boolean resumable, int batchSize) {
    this.soql = soql;
    this.all = all;
    this.resumable = resumable;
    this.batchSize = batchSize;
  }

  /**
   * A query with every option at its default: live records only, not resumable, the client's batch size.
   *
   * @throws IllegalArgumentException if {@code soql} is blank
   */
  public static Query of(String soql) {
    Objects.requireNonNull(soql, "soql");
    if (soql.isBlank()) {
      throw new IllegalArgumentException("soql must not be blank");
    }
    return new Query(soql, false, false, 0);
  }

  /**
   * Whether to include deleted and archived records ({@code /queryAll}). Default false ({@code /query}).
   */
  public Query all(boolean all) {
    return new Query(soql, all, resumable, batchSize);
  }

  /**
   * Whether the query may continue by keyset when its cursor is lost. Default false.
   *
   * <p>Salesforce may refuse a cursor ({@code nextRecordsUrl}) with {@code INVALID_QUERY_LOCATOR} after the
   * session that opened it died, or once it expired. A resumable query then runs again with
   * {@code WHERE (original condition) AND Id > '<last Id received>'} and the rest of its {@code LIMIT}, so no
   * record is skipped or delivered twice. A query that is not resumable fails instead with
   * {@link io.forceflux.core.error.FailureCause#QUERY_LOCATOR_INVALID}.
   *
   * <p>To be resumable a query selects {@code Id} and is ordered by {@code Id}: both are added when missing (so
   * records then carry an {@code Id} field). It must not use {@code GROUP BY}, {@code HAVING} or {@code OFFSET},
   * nor be ordered by anything else. Child-relationship subqueries are returned as Salesforce sends them.
   *
   * @throws IllegalArgumentException if {@code resumable} is true and the query cannot be resumed by Id
   */
  public Query resumable(boolean resumable) {
    if (resumable) {
      KeysetSoql.prepare(soql);
    }
    return new Query(soql, all, resumable, batchSize);
  }

  /**
   * Records per page, sent as {@code Sforce-Query-Options: batchSize=N}. Salesforce treats it as a hint: pages
   * may be smaller. Default: the client's batch size (see {@code SalesforceClient.Builder#batchSize}).
   *
   * @param batchSize {@value #MIN_BATCH_SIZE} to {@value #MAX_BATCH_SIZE}
   * @throws IllegalArgumentException if out of range
   */
  public Query batchSize(int batchSize) {
    checkBatchSize(batchSize);
    return new Query(soql, all, resumable, batchSize);
  }

  /** The SOQL as given (a resumable query is sent with {@code Id} and {@code ORDER BY Id} added). */
  public String soql() {
    return soql;
  }

  /** Whether deleted and archived records are included ({@code /queryAll}). */
  public boolean all() {
    return all;
  }

  /** Whether the query continues by keyset when its cursor is lost. */
  public boolean resumable() {
    return resumable;
  }

  /** The batch size, or 0 for the client's default. */
  public int batchSize() {
    return batchSize;
  }

  static void checkBatchSize(int batchSize) {
    if (batchSize < MIN_BATCH_SIZE || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batchSize must be " + MIN_BATCH_SIZE + ".." + MAX_BATCH_SIZE + ": "
          + batchSize);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Query q && soql.equals(q.soql) && all == q.all && resumable == q.resumable
        && batchSize == q.batchSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(soql, all, resumable, batchSize);
  }

  @Override
  public String toString() {
    return "Query[" + soql + (all ? ", all" : "") + (resumable ? ", resumable" : "")
        + (batchSize == 0 ? "" : ", batchSize=" + batchSize) + "]";
  }
}
