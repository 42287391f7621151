package io.forceflux.reactor.client;

import io.forceflux.testkit.FakeOrg;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * One fake org and one client of it (API 67.0, see {@link TestClients#builder}) for a whole test class: the org
 * starts before the class's first test and closes after its last. The org holds ten generated Accounts unless the
 * class asks for another number with {@link Accounts}.
 */
public abstract class SharedOrgTests {
  protected static FakeOrg org;
  protected static SalesforceClient client;

  /** How many generated Accounts the class's org starts with. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface Accounts {
    /** The number of Accounts. */
    int value();
  }

  @BeforeAll
  protected static void startOrg(TestInfo test) {
    int accounts = test.getTestClass().map(c -> c.getAnnotation(Accounts.class)).map(Accounts::value).orElse(10);
    org = FakeOrg.builder().accounts(accounts).build().start();
    client = TestClients.builder(org).apiVersion("67.0").build();
  }

  @AfterAll
  protected static void stopOrg() {
    org.close();
  }
}
