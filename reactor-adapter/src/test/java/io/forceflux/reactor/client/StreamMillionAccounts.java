package io.forceflux.reactor.client;

import io.forceflux.core.auth.Grant;
import io.forceflux.core.auth.InstanceUrlPolicy;
import io.forceflux.core.event.SessionListener;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Run in a child JVM with a small heap by {@code SalesforceClientMemoryTests}: streams every Account of a fake org
 * and checks the count and that Ids strictly increase (which also proves them distinct without holding them).
 *
 * <p>Arguments: login URL, My Domain URL, client id, expected count. The client secret and refresh token come from
 * the environment ({@code FF_CLIENT_SECRET}, {@code FF_REFRESH_TOKEN}), never the command line. Exit 0 on success,
 * 1 on a wrong count or order, 2 on an error. Deliberately independent of the test guards (no BlockHound here).
 */
public final class StreamMillionAccounts {
  private StreamMillionAccounts() {}

  public static void main(String[] args) {
    String loginUrl = args[0];
    String myDomainUrl = args[1];
    String clientId = args[2];
    long expected = Long.parseLong(args[3]);
    SalesforceClient client = SalesforceClient.builder()
        .grant(Grant.refreshToken(URI.create(loginUrl), clientId, System.getenv("FF_CLIENT_SECRET"),
            Objects.requireNonNull(System.getenv("FF_REFRESH_TOKEN"), "FF_REFRESH_TOKEN")))
        .instanceUrlPolicy(InstanceUrlPolicy.allowing(myDomainUrl, loginUrl))
        .listener(SessionListener.NONE)
        .build();
    long started = System.nanoTime();
    long[] count = {0};
    long[] disorder = {0};
    String[] last = {""};
    try {
      client.query("SELECT Id, Name, Industry, AnnualRevenue, NumberOfEmployees, External_Id__c FROM Account")
          .doOnNext(record -> {
            String id = record.get("Id").stringValue();
            if (id.compareTo(last[0]) <= 0) {
              disorder[0]++;
            }
            last[0] = id;
            count[0]++;
          })
          .then()
          .block(Duration.ofMinutes(4));
    } catch (RuntimeException e) {
      System.out.println("error=" + e);
      System.exit(2);
    }
    Runtime rt = Runtime.getRuntime();
    System.out.println("count=" + count[0] + " disorder=" + disorder[0] + " maxHeapMiB=" + rt.maxMemory() / 1048576
        + " seconds=" + (System.nanoTime() - started) / 1_000_000_000.0);
    System.exit(count[0] == expected && disorder[0] == 0 ? 0 : 1);
  }
}
