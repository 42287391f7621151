package com.example;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.reactor.client.Query;
import io.forceflux.reactor.client.SalesforceClient;
import java.net.URI;
import java.time.Duration;

public class FirstQuery {
  public static void main(String[] args) {
    // The values `forceflux sim` prints (or a real org's connected app and refresh token).
    String loginUrl = System.getenv("SF_LOGIN_URL");
    Grant grant = Grant.refreshToken(URI.create(loginUrl),
        System.getenv("SF_CLIENT_ID"), System.getenv("SF_CLIENT_SECRET"), System.getenv("SF_REFRESH_TOKEN"));

    SalesforceClient salesforce = SalesforceClient.builder()
        .grant(grant)
        // Tokens go only to https Salesforce hosts unless allowed: the sim is plain http on 127.0.0.1.
        .instanceUrlPolicy(InstanceUrlPolicy.allowing(loginUrl))
        .sessionTimeout(Duration.ofHours(2)) // the org's timeout, if known: idle tokens refresh before use
        .build();

    // A backpressured Flux across pages and across session expiry; resumable: continues after the
    // last Id if a cursor is lost.
    Long accounts = salesforce.query(Query.of("SELECT Id, Name FROM Account ORDER BY Id").resumable(true))
        .map(account -> account.get("Name").asString())
        .doOnNext(System.out::println)
        .count()
        .block(Duration.ofMinutes(5)); // a main waits for its stream; a service returns the Flux instead
    System.out.println(accounts + " accounts");
  }
}
