package io.forceflux.examples.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The example service. Everything Salesforce is auto-configured from {@code forceflux.*} properties: see
 * {@code application.yml}, and {@code application-sim.yml} for a run against {@code forceflux sim}.
 */
@SpringBootApplication
public class AccountsApplication {

  /** Starts the service. */
  public static void main(String[] args) {
    SpringApplication.run(AccountsApplication.class, args);
  }
}
