package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultsTests {

  @Test
  void rulesFireInOrderForTheirTargetAndPhaseOnly() {
    Faults faults = new Faults();
    Fault token = Fault.serverUnavailable();
    Fault after = Fault.connectionReset().withPhase(Phase.AFTER);
    faults.next(1, FaultTarget.TOKEN, token).next(1, FaultTarget.ANY, after);

    assertThat(faults.pick(FaultTarget.API, Phase.BEFORE)).isNull();
    assertThat(faults.pick(FaultTarget.API, Phase.AFTER)).isSameAs(after);
    assertThat(faults.pick(FaultTarget.API, Phase.AFTER)).isNull();
    assertThat(faults.pick(FaultTarget.TOKEN, Phase.BEFORE)).isSameAs(token);
    assertThat(faults.active()).isZero();
  }

  @Test
  void invalidRulesFailWhenAdded() {
    Faults faults = new Faults();
    assertThatThrownBy(() -> faults.next(0, FaultTarget.ANY, Fault.malformedJson()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> faults.fraction(1.5, 1L, FaultTarget.ANY, Fault.malformedJson()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.status(99, "", "text/plain")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.latency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describesItselfWithoutBodies() {
    assertThat(Fault.serverUnavailableHtml().toString())
        .isEqualTo("Fault[status 503 text/html;charset=UTF-8, BEFORE]");
    assertThat(Fault.latency(Duration.ofMillis(5)).withPhase(Phase.AFTER).toString())
        .isEqualTo("Fault[latency PT0.005S, AFTER]");
  }
}
