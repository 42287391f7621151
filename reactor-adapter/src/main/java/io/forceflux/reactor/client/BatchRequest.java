package io.forceflux.reactor.client;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Composite Batch request ({@code POST /composite/batch}): up to 25 independent subrequests, no references, no
 * rollback. Salesforce counts each subrequest as an API call (a {@link CompositeRequest} counts once), and so does
 * the governor. With {@code haltOnError}, the subrequests after the first failure are not run and answer
 * {@code 412 BATCH_PROCESSING_HALTED}.
 */
public final class BatchRequest {
  /** Salesforce's limit on subrequests per batch. */
  public static final int MAX_SUBREQUESTS = 25;
  private static final JsonMapper MAPPER = JsonMapper.shared();

  private final boolean haltOnError;
  private final List<Subrequest> subrequests;

  private BatchRequest(Builder b) {
    this.haltOnError = b.haltOnError;
    this.subrequests = List.copyOf(b.subrequests);
  }

  /** An empty builder; {@code haltOnError} false. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the first failure stops the rest. */
  public boolean haltOnError() {
    return haltOnError;
  }

  /** The subrequests in order; their reference ids are their indexes. */
  public List<Subrequest> subrequests() {
    return subrequests;
  }

  @Override
  public String toString() {
    return "BatchRequest[" + subrequests.size() + " subrequests, haltOnError=" + haltOnError + "]";
  }

  /** Collects subrequests. */
  public static final class Builder {
    private boolean haltOnError;
    private final List<Subrequest> subrequests = new ArrayList<>();

    private Builder() {}

    /** Stop at the first failing subrequest. Default false. */
    public Builder haltOnError(boolean halt) {
      this.haltOnError = halt;
      return this;
    }

    /**
     * Adds a subrequest: {@code path} after {@code /services/data/vNN.N}, starting with {@code /}.
     *
     * @throws IllegalArgumentException for another method than GET, POST, PATCH, PUT, DELETE, or a bad path
     */
    public Builder subrequest(String method, String path, @Nullable Object body) {
      Paths.checkSubrequest(method, path);
      JsonNode node = body == null ? null : body instanceof JsonNode n ? n.deepCopy() : MAPPER.valueToTree(body);
      subrequests.add(new Subrequest(String.valueOf(subrequests.size()), method, path, node));
      return this;
    }

    /**
     * Checks the batch.
     *
     * @throws IllegalStateException with no subrequest or more than 25
     */
    public BatchRequest build() {
      if (subrequests.isEmpty() || subrequests.size() > MAX_SUBREQUESTS) {
        throw new IllegalStateException("a batch holds 1 to " + MAX_SUBREQUESTS + " subrequests, not "
            + subrequests.size());
      }
      return new BatchRequest(this);
    }
  }
}
