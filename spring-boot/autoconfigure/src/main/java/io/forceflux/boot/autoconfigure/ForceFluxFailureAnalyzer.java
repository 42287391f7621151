package io.forceflux.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an invalid {@code forceflux.*} setting into Spring Boot's start-up report: which property, what is wrong,
 * what to set. Registered in {@code META-INF/spring.factories}.
 */
public final class ForceFluxFailureAnalyzer extends AbstractFailureAnalyzer<InvalidForceFluxPropertyException> {

  /** Created by Spring Boot's failure analysis. */
  public ForceFluxFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidForceFluxPropertyException cause) {
    return new FailureAnalysis("ForceFlux is not configured correctly: " + cause.getMessage() + ".", cause.action(),
        cause);
  }
}
