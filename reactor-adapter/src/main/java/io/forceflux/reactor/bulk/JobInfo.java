package io.forceflux.reactor.bulk;

import org.jspecify.annotations.Nullable;

/** What a job info response says about a Bulk API 2.0 job; read by {@link JobTracker#jobInfo}. */
record JobInfo(String id, String state, String apiVersion, long processed, long failed,
    @Nullable String errorMessage) {}
