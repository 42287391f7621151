package io.forceflux.reactor.bulk;

import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a Bulk API 2.0 ingest does: the sObject, the operation and, for an upsert, the external-id field.
 *
 * @param object the sObject API name, e.g. {@code Account}
 * @param operation what each row does
 * @param externalIdField the external-id field an upsert matches on; null for every other operation
 */
public record Ingest(String object, Operation operation, @Nullable String externalIdField) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");

  /** Bulk API 2.0 ingest operations, with their wire names. */
  public enum Operation {
    /** Creates a record per row. */
    INSERT("insert"),
    /** Updates the record named by each row's {@code Id}. */
    UPDATE("update"),
    /** Updates the record whose external-id field matches the row, or creates one. */
    UPSERT("upsert"),
    /** Moves the record named by each row's {@code Id} to the recycle bin. */
    DELETE("delete"),
    /** Deletes the record named by each row's {@code Id} permanently (needs the "Bulk API Hard Delete" permission). */
    HARD_DELETE("hardDelete");

    private final String wireName;

    Operation(String wireName) {
      this.wireName = wireName;
    }

    /** The name Salesforce uses, e.g. {@code hardDelete}. */
    public String wireName() {
      return wireName;
    }

    /** The operation with this wire name (case-insensitive), e.g. {@code "upsert"}. */
    public static Operation of(String wireName) {
      for (Operation op : values()) {
        if (op.wireName.equalsIgnoreCase(wireName)) {
          return op;
        }
      }
      throw new IllegalArgumentException("unknown bulk operation: " + wireName);
    }
  }

  /**
   * @throws IllegalArgumentException for a name that cannot be an API name, an upsert without an external-id
   *     field, or an external-id field on another operation
   */
  public Ingest {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(operation, "operation");
    if (!NAME.matcher(object).matches()) {
      throw new IllegalArgumentException("object is not a valid API name");
    }
    if ((operation == Operation.UPSERT) != (externalIdField != null)) {
      throw new IllegalArgumentException("an external-id field is required for upsert and only for upsert");
    }
    if (externalIdField != null && !NAME.matcher(externalIdField).matches()) {
      throw new IllegalArgumentException("externalIdField is not a valid API name");
    }
  }

  /** Inserts into {@code object}. */
  public static Ingest insert(String object) {
    return new Ingest(object, Operation.INSERT, null);
  }

  /** Updates {@code object} records by {@code Id}. */
  public static Ingest update(String object) {
    return new Ingest(object, Operation.UPDATE, null);
  }

  /** Upserts {@code object} records by {@code externalIdField}. */
  public static Ingest upsert(String object, String externalIdField) {
    return new Ingest(object, Operation.UPSERT, Objects.requireNonNull(externalIdField, "externalIdField"));
  }

  /** Deletes {@code object} records by {@code Id}. */
  public static Ingest delete(String object) {
    return new Ingest(object, Operation.DELETE, null);
  }
}
