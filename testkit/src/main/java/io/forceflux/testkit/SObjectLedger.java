package io.forceflux.testkit;

import java.util.List;

/**
 * What the API has done to one sObject type since the org was built, for test assertions (for example that a
 * replayed create did not run twice). A snapshot: later writes do not change it.
 *
 * @param sobject the sObject type, e.g. {@code Account}
 * @param createdIds the Ids of the records created through the API, in creation order
 * @param updatedIds the Ids of the records updated through the API, one entry per update, in order
 * @param deletedIds the Ids of the records deleted through the API, in order
 */
public record SObjectLedger(String sobject, List<String> createdIds, List<String> updatedIds,
    List<String> deletedIds) {

  /**
   * Copies the lists, so the ledger cannot change.
   *
   * @param sobject the sObject type
   * @param createdIds created Ids in creation order
   * @param updatedIds updated Ids, one per update
   * @param deletedIds deleted Ids in order
   */
  public SObjectLedger {
    createdIds = List.copyOf(createdIds);
    updatedIds = List.copyOf(updatedIds);
    deletedIds = List.copyOf(deletedIds);
  }

  /**
   * How many records were created.
   *
   * @return the number of creates
   */
  public int created() {
    return createdIds.size();
  }

  /**
   * How many updates ran (an upsert that matched counts as an update).
   *
   * @return the number of updates
   */
  public int updated() {
    return updatedIds.size();
  }

  /**
   * How many records were deleted.
   *
   * @return the number of deletes
   */
  public int deleted() {
    return deletedIds.size();
  }
}
