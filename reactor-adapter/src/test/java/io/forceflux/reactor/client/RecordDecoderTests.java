package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.forceflux.core.error.FailureCause;
import io.forceflux.core.error.SalesforceException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;

@SharedOrgTests.Accounts(4_500)
class RecordDecoderTests extends SharedOrgTests {
  private static final Duration BOUND = Duration.ofSeconds(30);

  /** The Id and Name of a record, read from the parser; everything else skipped. */
  private static final RecordDecoder<String> ID_AND_NAME = p -> {
    String id = null;
    String name = null;
    String field;
    while ((field = p.nextName()) != null) {
      JsonToken value = p.nextToken();
      if (field.equals("Id")) {
        id = p.getString();
      } else if (field.equals("Name")) {
        name = p.getString();
      } else {
        p.skipChildren();
      }
      assertThat(value).isNotNull();
    }
    return id + " " + name;
  };

  @Test
  void decodesEveryRecordOfEveryPageStraightFromTheParserAsTheTypedQueryDoes() {
    Query query = Query.of("SELECT Id, Name FROM Account ORDER BY Id").batchSize(2_000);
    List<String> raw = client.query(query, ID_AND_NAME).collectList().block(BOUND);
    List<String> typed = client.query(query).map(n -> n.get("Id").asString() + " " + n.get("Name").asString())
        .collectList().block(BOUND);

    assertThat(raw).hasSize(4_500).doesNotHaveDuplicates().isEqualTo(typed);
  }

  @Test
  void aDecoderThatStopsInsideItsRecordFailsTheQueryAfterTheRecordsBeforeIt() {
    RecordDecoder<String> stopsEarly = p -> {
      p.nextName();
      p.nextToken();
      return p.getString();
    };
    StepVerifier.create(client.query(Query.of("SELECT Id, Name FROM Account"), stopsEarly))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("END_OBJECT"))
        .verify(BOUND);
  }

  @Test
  void aJacksonFailureInTheDecoderIsAMalformedResponseWithoutTheRecordsValues() {
    RecordDecoder<String> refuses = p -> {
      throw new StreamReadException(p, "cannot read 001000000000001AAA");
    };
    StepVerifier.create(client.query(Query.of("SELECT Id, Name FROM Account"), refuses))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(SalesforceException.class, s -> {
          assertThat(s.failureCause()).isEqualTo(FailureCause.MALFORMED_RESPONSE);
          assertThat(s.getMessage()).contains("record decoder").doesNotContain("001000000000001AAA");
        }))
        .verify(BOUND);
  }

  @Test
  void anExceptionOfTheDecoderItselfFailsTheQueryAsIs() {
    IllegalArgumentException mine = new IllegalArgumentException("mine");
    RecordDecoder<String> throwsOwn = p -> {
      throw mine;
    };
    StepVerifier.create(client.query(Query.of("SELECT Id FROM Account"), throwsOwn))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(mine))
        .verify(BOUND);
  }
}
