package io.forceflux.reactor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysetSoqlTests {
  private static final String ID = "001000000000ABCAAA";

  @Test
  void addsIdAndOrderByIdWhenMissing() {
    KeysetSoql q = KeysetSoql.prepare("SELECT Name FROM Account");

    assertThat(q.initial()).isEqualTo("SELECT Id, Name FROM Account ORDER BY Id");
    assertThat(q.resumeAfter(ID, 10)).isEqualTo("SELECT Id, Name FROM Account WHERE Id > '" + ID + "' ORDER BY Id");
  }

  @Test
  void keepsAnExistingIdAndOrderByIdAscending() {
    KeysetSoql q = KeysetSoql.prepare("select id, Name from Account order by Id asc");

    assertThat(q.initial()).isEqualTo("SELECT id, Name from Account ORDER BY Id");
  }

  @Test
  void combinesAnExistingWhereWithAndInParentheses() {
    KeysetSoql q = KeysetSoql.prepare("SELECT Id FROM Account WHERE Industry = 'Energy' OR Name LIKE 'A%'");

    assertThat(q.resumeAfter(ID, 3)).isEqualTo("SELECT Id FROM Account WHERE (Industry = 'Energy' OR Name LIKE 'A%')"
        + " AND Id > '" + ID + "' ORDER BY Id");
  }

  @Test
  void keepsLimitMinusWhatWasReceivedAndStopsAtIt() {
    KeysetSoql q = KeysetSoql.prepare("SELECT Id FROM Account LIMIT 500");

    assertThat(q.initial()).isEqualTo("SELECT Id FROM Account ORDER BY Id LIMIT 500");
    assertThat(q.resumeAfter(ID, 200)).isEqualTo("SELECT Id FROM Account WHERE Id > '" + ID + "' ORDER BY Id LIMIT 300");
    assertThat(q.resumeAfter(ID, 500)).isNull();
  }

  @Test
  void startsOverWhenNothingWasReceived() {
    KeysetSoql q = KeysetSoql.prepare("SELECT Id FROM Account WHERE Name != null LIMIT 5");

    assertThat(q.resumeAfter(null, 0)).isEqualTo("SELECT Id FROM Account WHERE Name != null ORDER BY Id LIMIT 5");
  }

  @Test
  void placesWhereBeforeWithAndKeepsForClauses() {
    KeysetSoql q = KeysetSoql.prepare("SELECT Name FROM Account USING SCOPE mine WITH SECURITY_ENFORCED FOR VIEW");

    assertThat(q.resumeAfter(ID, 1)).isEqualTo("SELECT Id, Name FROM Account USING SCOPE mine WHERE Id > '" + ID
        + "' WITH SECURITY_ENFORCED ORDER BY Id FOR VIEW");
  }

  @Test
  void ignoresKeywordsInsideLiteralsAndSubqueries() {
    KeysetSoql q = KeysetSoql.prepare("SELECT Name, (SELECT Id FROM Contacts ORDER BY Name LIMIT 5) FROM Account "
        + "WHERE Name = 'x ORDER BY Name \\' LIMIT 3' AND Id IN (SELECT AccountId FROM Case WHERE Id != null)");

    assertThat(q.initial()).isEqualTo("SELECT Id, Name, (SELECT Id FROM Contacts ORDER BY Name LIMIT 5) FROM Account "
        + "WHERE Name = 'x ORDER BY Name \\' LIMIT 3' AND Id IN (SELECT AccountId FROM Case WHERE Id != null) "
        + "ORDER BY Id");
  }

  @Test
  void anObjectNamedOrderIsNotAClause() {
    assertThat(KeysetSoql.prepare("SELECT Id FROM Order").initial()).isEqualTo("SELECT Id FROM Order ORDER BY Id");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT Id FROM Account ORDER BY Name",
      "SELECT Id FROM Account ORDER BY Id DESC",
      "SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry",
      "SELECT Id FROM Account LIMIT 10 OFFSET 5",
      "SELECT Id FROM Account LIMIT :max",
      "UPDATE Account",
      "SELECT Id, Name",
      "SELECT Id FROM Account WHERE Name = 'open"})
  void refusesQueriesThatCannotResumeById(String soql) {
    assertThatThrownBy(() -> KeysetSoql.prepare(soql)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resumable");
  }

  @Test
  void refusesAnythingButAnIdAsTheBound() {
    KeysetSoql q = KeysetSoql.prepare("SELECT Id FROM Account");

    assertThatThrownBy(() -> q.resumeAfter("x' OR Name != '", 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
