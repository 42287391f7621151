package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiAllowanceTests {

  @Test
  void countsCallsUntilTheLimitAndThenRefusesWithoutCounting() {
    ApiAllowance allowance = new ApiAllowance(2);

    assertThat(allowance.tryCall()).isEqualTo(1);
    assertThat(allowance.tryCall()).isEqualTo(2);
    assertThat(allowance.tryCall()).isEqualTo(-1);
    assertThat(allowance.usage()).isEqualTo(2);
  }

  @Test
  void stampsTheHeaderAsOfNowAndAnswersTheExceededCallWithIt() {
    ApiAllowance allowance = new ApiAllowance(5);
    allowance.usage(5);

    Reply exceeded = allowance.exceeded();

    assertThat(exceeded.status).isEqualTo(403);
    assertThat(new String(exceeded.body, StandardCharsets.UTF_8)).contains("REQUEST_LIMIT_EXCEEDED");
    assertThat(exceeded.headers).containsEntry("Sforce-Limit-Info", "api-usage=5/5");
  }

  @Test
  void resetRestoresTheConfiguredLimitAndZeroUsage() {
    ApiAllowance allowance = new ApiAllowance(100);
    allowance.limit(3);
    allowance.usage(3);

    allowance.reset();

    assertThat(allowance.limit()).isEqualTo(100);
    assertThat(allowance.usage()).isZero();
  }

  @Test
  void refusesNonsense() {
    ApiAllowance allowance = new ApiAllowance(100);
    assertThatThrownBy(() -> allowance.limit(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> allowance.usage(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
