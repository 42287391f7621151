package io.forceflux.testkit;

import java.time.Instant;

/**
 * What a Bulk API 2.0 job of either kind, ingest or query, holds from its creation on: its operation, CSV format,
 * API version, creator and state. Guarded by the job's own monitor.
 */
abstract class FakeBulkJob {
  final String id;
  final String operation;
  final String columnDelimiter;
  final String lineEnding;
  final String apiVersion;
  final String createdById;
  final Instant createdDate;
  String state;
  Instant modified;

  FakeBulkJob(String id, String operation, String columnDelimiter, String lineEnding, String apiVersion,
      String createdById, Instant now, String state) {
    this.id = id;
    this.operation = operation;
    this.columnDelimiter = columnDelimiter;
    this.lineEnding = lineEnding;
    this.apiVersion = apiVersion;
    this.createdById = createdById;
    this.createdDate = now;
    this.modified = now;
    this.state = state;
  }

  /** Whether the job has finished, one way or another: nothing about it changes any more. */
  boolean terminal() {
    return state.equals("JobComplete") || state.equals("Failed") || state.equals("Aborted");
  }

  /** The characters {@link #lineEnding} stands for. */
  String lineEndingChars() {
    return lineEnding.equals("CRLF") ? "\r\n" : "\n";
  }
}
