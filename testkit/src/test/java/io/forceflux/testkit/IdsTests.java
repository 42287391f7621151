package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTests {

  @Test
  void theChecksumMatchesRecordedSalesforceIds() {
    for (String recorded : List.of("00D58000000arpqEAA", "00558000000yFyDAAU", "00DO00000054tO8MAI",
        "005O0000001cmmdIAA", "00Di0000000icUBEAY", "005i0000002MUqLAAW")) {
      assertThat(Ids.to18(recorded.substring(0, 15))).isEqualTo(recorded);
    }
  }

  @Test
  void recordIdsRoundTripAndSortLikeTheirSequence() {
    String a = Ids.id("001", 61);
    String b = Ids.id("001", 62);
    String c = Ids.id("001", 1_000_000);

    assertThat(a).hasSize(18).startsWith("001000000000");
    assertThat(a).isLessThan(b);
    assertThat(b).isLessThan(c);
    assertThat(Ids.seqOf("001", c)).isEqualTo(1_000_000);
    assertThat(Ids.seqOf("001", c.substring(0, 15))).isEqualTo(1_000_000);
    assertThat(Ids.seqOf("001", c.substring(0, 15) + "zzz")).isEqualTo(-1);
    assertThat(Ids.seqOf("003", c)).isEqualTo(-1);
    assertThat(Ids.seqOf("001", "001!!!")).isEqualTo(-1);
  }
}
