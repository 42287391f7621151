package io.forceflux.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The query engine on its own: parse, bind and run against a store of 30 generated Accounts and a few more. */
class SoqlTests {

  private final DataStore data = new DataStore(30,
      Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC), new Counters());

  private QueryResult run(String soql) throws Soql.Invalid {
    return Soql.parse(soql).run(data, false);
  }

  /** Every row of the result as its column values. */
  private List<List<Object>> rows(String soql) throws Soql.Invalid {
    QueryResult result = run(soql);
    List<List<Object>> rows = new ArrayList<>();
    result.forEach(0, result.totalSize(), seq -> {
      List<Object> row = new ArrayList<>();
      for (int i = 0; i < result.columnNames().size(); i++) {
        row.add(result.value(seq, i));
      }
      rows.add(Collections.unmodifiableList(row));
    });
    return rows;
  }

  private List<Object> column(String soql) throws Soql.Invalid {
    return rows(soql).stream().map(row -> row.get(0)).toList();
  }

  /** What a filter must return: every Account (Id order) whose {@code field} value passes {@code test}. */
  private List<Object> accountsWhere(String field, Predicate<Object> test) throws Soql.Invalid {
    return rows("SELECT Id, " + field + " FROM Account").stream().filter(r -> test.test(r.get(1)))
        .map(r -> r.get(0)).toList();
  }

  private String id(int seq) throws Soql.Invalid {
    return (String) column("SELECT Id FROM Account").get(seq - 1);
  }

  private void create(String type, String json) {
    DataStore.WriteResult result = data.create(Objects.requireNonNull(data.type(type)), FakeJson.MAPPER.readTree(json));
    assertThat(result.error()).isNull();
  }

  private static Soql.Invalid rejected(ThrowingQuery query) {
    try {
      query.run();
    } catch (Soql.Invalid e) {
      return e;
    }
    throw new AssertionError("the query was accepted");
  }

  private interface ThrowingQuery {
    void run() throws Soql.Invalid;
  }

  @Test
  void parsesTheSubsetIntoATree() throws Exception {
    String soql = "select Id, owner.name FROM account WHERE (Name LIKE 'A\\%%' OR NOT Id IN "
        + "('001000000000001AAA')) AND NumberOfEmployees >= -5 ORDER BY Name DESC NULLS LAST, Id "
        + "LIMIT 25 OFFSET 5";
    Soql.Query q = Soql.parse(soql);

    assertThat(q.select()).containsExactly(new Soql.Field(new Soql.Path(List.of("Id"), 8)),
        new Soql.Field(new Soql.Path(List.of("owner", "name"), 12)));
    assertThat(q.sobject()).isEqualTo("account");
    Soql.Junction where = (Soql.Junction) q.where();
    assertThat(where.and()).isTrue();
    Soql.Junction or = (Soql.Junction) where.parts().get(0);
    assertThat(or.and()).isFalse();
    assertThat(((Soql.Like) or.parts().get(0)).pattern()).isEqualTo("A\\%%");
    assertThat(or.parts().get(1)).isInstanceOf(Soql.Not.class);
    assertThat(((Soql.Compare) where.parts().get(1)).value().value()).isEqualTo(-5.0);
    assertThat(q.orderBy()).containsExactly(
        new Soql.Order(new Soql.Path(List.of("Name"), soql.indexOf("Name DESC") + 1), true, false),
        new Soql.Order(new Soql.Path(List.of("Id"), soql.indexOf("Id LIMIT") + 1), false, true));
    assertThat(q.limit()).isEqualTo(25);
    assertThat(q.offset()).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "NumberOfEmployees = 38           | 38",
    "NumberOfEmployees != 38          | 38",
    "NumberOfEmployees <> 38          | 38",
    "NumberOfEmployees < 500          | 500",
    "NumberOfEmployees <= 482         | 482",
    "NumberOfEmployees > 500          | 500",
    "NumberOfEmployees >= 482         | 482",
  })
  void eachComparisonOperatorFiltersNumbers(String where, double bound) throws Exception {
    String op = where.split(" ")[1];
    Predicate<Object> expected = v -> {
      double n = ((Number) v).doubleValue();
      return switch (op) {
        case "=" -> n == bound;
        case "!=", "<>" -> n != bound;
        case "<" -> n < bound;
        case "<=" -> n <= bound;
        case ">" -> n > bound;
        default -> n >= bound;
      };
    };
    List<Object> ids = column("SELECT Id FROM Account WHERE " + where);

    assertThat(ids).isNotEmpty().isEqualTo(accountsWhere("NumberOfEmployees", expected));
  }

  @Test
  void textComparesCaseInsensitively() throws Exception {
    assertThat(column("SELECT Name FROM Account WHERE Name = 'BIRCH 000002'")).containsExactly("Birch 000002");
    assertThat(column("SELECT Name FROM Account WHERE Name < 'b'")).containsExactlyInAnyOrder(
        "Account 000001", "Apex 000004", "Atlas 000007", "arbor 000009", "Account 000011",
        "Apex 000014", "Atlas 000017", "arbor 000019", "Account 000021", "Apex 000024", "Atlas 000027",
        "arbor 000029");
  }

  @Test
  void likeMatchesPercentAndUnderscoreCaseInsensitively() throws Exception {
    create("Contact", "{\"Name\":\"100% Cotton\"}");
    create("Contact", "{\"Name\":\"1000 Cotton\"}");

    assertThat(column("SELECT Name FROM Account WHERE Name LIKE 'A%'"))
        .hasSize(12).allSatisfy(n -> assertThat(((String) n).toLowerCase(Locale.ROOT)).startsWith("a"))
        .contains("arbor 000009");
    assertThat(column("SELECT Name FROM Account WHERE Name LIKE '%r 00001_'"))
        .containsExactly("Cedar 000013", "arbor 000019");
    assertThat(column("SELECT Name FROM Account WHERE Name LIKE 'a_ex%'")).hasSize(3);
    assertThat(column("SELECT Name FROM Contact WHERE Name LIKE '100\\%%'")).containsExactly("100% Cotton");
    assertThat(column("SELECT Name FROM Contact WHERE Name LIKE '100%'")).hasSize(2);
  }

  @Test
  void inAndNotInTestMembership() throws Exception {
    assertThat(column("SELECT Name FROM Account WHERE Name IN ('apex 000004', 'Delta 000005', 'nope')"))
        .containsExactly("Apex 000004", "Delta 000005");
    assertThat(column("SELECT Id FROM Account WHERE Id NOT IN ('" + id(1) + "', '" + id(2).substring(0, 15)
        + "')")).hasSize(28).doesNotContain(id(1), id(2));
  }

  @Test
  void andOrNotAndParenthesesCombine() throws Exception {
    List<Object> names = column("SELECT Name FROM Account WHERE (Name LIKE 'A%' OR Name LIKE 'B%') "
        + "AND NOT (Name LIKE '%1' OR Name LIKE '%2') AND Id != '" + id(4) + "'");

    assertThat(names).containsExactly("Atlas 000007", "arbor 000009", "Apex 000014", "Atlas 000017",
        "arbor 000019", "Apex 000024", "Atlas 000027", "arbor 000029");
    assertThatThrownBy(() -> run("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'"))
        .hasMessageEndingWith("unexpected token: OR");
  }

  @Test
  void nullMatchesOnlyEqualsNullAndNotEqualsMatchesNulls() throws Exception {
    create("Account", "{\"Name\":\"No industry\"}");

    assertThat(column("SELECT Name FROM Account WHERE Industry = null")).containsExactly("No industry");
    assertThat(column("SELECT Name FROM Account WHERE Industry != null")).hasSize(30);
    assertThat(column("SELECT Name FROM Account WHERE Industry != 'Banking'")).contains("No industry");
    assertThat(column("SELECT Name FROM Account WHERE Industry < 'Z'")).doesNotContain("No industry");
  }

  @Test
  void orderByPutsNullsFirstAscendingAndLastDescendingUnlessToldOtherwise() throws Exception {
    create("Account", "{\"Name\":\"No industry\"}");

    List<Object> ascending = column("SELECT Industry FROM Account ORDER BY Industry");
    List<Object> descending = column("SELECT Industry FROM Account ORDER BY Industry DESC");
    List<Object> nullsLast = column("SELECT Industry FROM Account ORDER BY Industry ASC NULLS LAST");
    List<Object> nullsFirst = column("SELECT Industry FROM Account ORDER BY Industry DESC NULLS FIRST");

    assertThat(ascending.get(0)).isNull();
    assertThat(ascending.subList(1, 31)).isSortedAccordingTo(Comparator.comparing(String.class::cast));
    assertThat(descending.get(30)).isNull();
    assertThat(descending.subList(0, 30))
        .isSortedAccordingTo(Comparator.comparing(String.class::cast).reversed());
    assertThat(nullsLast.get(30)).isNull();
    assertThat(nullsFirst.get(0)).isNull();
  }

  @Test
  void orderByTakesSeveralKeysAndBreaksTiesById() throws Exception {
    List<List<Object>> rows = rows("SELECT Industry, NumberOfEmployees, Id FROM Account "
        + "ORDER BY Industry DESC, NumberOfEmployees");

    for (int i = 1; i < rows.size(); i++) {
      List<Object> a = rows.get(i - 1);
      List<Object> b = rows.get(i);
      int byIndustry = ((String) b.get(0)).compareTo((String) a.get(0));
      assertThat(byIndustry).as("row %d", i).isLessThanOrEqualTo(0);
      if (byIndustry == 0) {
        assertThat((Double) b.get(1)).isGreaterThanOrEqualTo((Double) a.get(1));
      }
    }
    assertThat(column("SELECT Id FROM Account ORDER BY Industry LIMIT 3")).as("ties break by Id")
        .containsExactly(id(18), id(1), id(19));
    assertThat(column("SELECT Id FROM Account ORDER BY Industry DESC LIMIT 7")).as("ascending Ids, too")
        .containsExactly(id(17), id(16), id(15), id(14), id(13), id(12), id(30));
    assertThat(column("SELECT Id FROM Account ORDER BY Id DESC LIMIT 2")).containsExactly(id(30), id(29));
  }

  @Test
  void limitAndOffsetCutTheOrderedResult() throws Exception {
    assertThat(column("SELECT Id FROM Account LIMIT 3 OFFSET 2")).containsExactly(id(3), id(4), id(5));
    assertThat(column("SELECT Id FROM Account WHERE Name LIKE 'A%' LIMIT 2 OFFSET 1"))
        .containsExactly(id(4), id(7));
    assertThat(column("SELECT Id FROM Account ORDER BY Name LIMIT 2 OFFSET 1")).containsExactly(id(11), id(21));
    assertThat(column("SELECT Id FROM Account OFFSET 29")).containsExactly(id(30));
    assertThat(column("SELECT Id FROM Account OFFSET 40")).isEmpty();
    Soql.Invalid tooFar = rejected(() -> run("SELECT Id FROM Account OFFSET 2001"));
    assertThat(tooFar.errorCode()).isEqualTo("NUMBER_OUTSIDE_VALID_RANGE");
    assertThat(tooFar).hasMessage("Maximum SOQL offset allowed is 2000");
  }

  @Test
  void countWithoutAFieldIsATotalSizeAndCountOfAFieldAnAggregate() throws Exception {
    create("Account", "{\"Name\":\"No industry\"}");

    QueryResult count = run("SELECT COUNT() FROM Account WHERE Name LIKE 'a%'");
    QueryResult aggregate = run("SELECT COUNT(Id), COUNT(Industry) withIndustry FROM Account");

    assertThat(count.kind).isEqualTo(QueryResult.Kind.COUNT);
    assertThat(count.totalSize()).isEqualTo(12);
    assertThat(run("SELECT COUNT() FROM Account LIMIT 5").totalSize()).isEqualTo(5);
    assertThat(aggregate.kind).isEqualTo(QueryResult.Kind.AGGREGATE);
    String json = new String(FakeJson.write(aggregate::writeAggregate), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"attributes\":{\"type\":\"AggregateResult\"},\"expr0\":31,"
        + "\"withIndustry\":30}");
    assertThat(rejected(() -> run("SELECT Name, COUNT(Id) FROM Account")))
        .hasMessageEndingWith("Field must be grouped or aggregated: Name");
  }

  @Test
  void relationshipPathsFollowTheLookupToTheOwner() throws Exception {
    List<List<Object>> rows = rows("SELECT Name, Owner.Name, owner.email FROM Account "
        + "WHERE Owner.Name = 'grace hopper' ORDER BY Name LIMIT 2");

    assertThat(rows).containsExactly(List.of("Apex 000014", "Grace Hopper", "grace@example.com"),
        List.of("Birch 000002", "Grace Hopper", "grace@example.com"));
    assertThat(run("SELECT Account.Name, Owner.Name FROM Account").columnNames())
        .containsExactly("Name", "Owner.Name");
    Soql.Invalid unknown = rejected(() -> run("SELECT Id, Manager.Name FROM Account"));
    assertThat(unknown.errorCode()).isEqualTo("INVALID_FIELD");
    assertThat(unknown).hasMessageContaining("Column:12\nDidn't understand relationship 'Manager' in field path.");
    assertThat(rejected(() -> run("SELECT Owner.Salary FROM Account")))
        .hasMessageContaining("No such column 'Salary' on entity 'User'.");
  }

  @Test
  void errorsAreWordedAsSalesforceWordsThem() {
    assertThat(rejected(() -> Soql.parse("SELECT Id FROMM Account")))
        .hasMessage("\nSELECT Id FROMM Account\n          ^\nERROR at Row:1:Column:11\n"
            + "unexpected token: FROMM");
    assertThat(rejected(() -> Soql.parse("SELECT Id FROM Account LIMIT")))
        .hasMessageEndingWith("unexpected token: <EOF>");
    assertThat(rejected(() -> Soql.parse("SELECT Id FROM Account WHERE Name = 'open")))
        .hasMessageEndingWith("unterminated string literal");
    for (String soql : List.of("SELECT Id FROM Account GROUP BY Name", "SELECT Id FROM Account WHERE Name",
        "SELECT Id FROM Account WHERE Name LIKE 5", "SELECT Id, (SELECT Id FROM Contacts) FROM Account",
        "SELECT Id FROM Account WHERE CreatedDate > TODAY", "SELECT Id FROM Account ORDER BY Name NULLS")) {
      Soql.Invalid e = rejected(() -> Soql.parse(soql));
      assertThat(e.errorCode()).as(soql).isEqualTo("MALFORMED_QUERY");
      assertThat(e).as(soql).hasMessageContaining("unexpected token: ");
    }

    Soql.Invalid field = rejected(() -> run("SELECT Id, foo FROM Account"));
    assertThat(field.errorCode()).isEqualTo("INVALID_FIELD");
    assertThat(field).hasMessage("\nSELECT Id, foo FROM Account\n           ^\nERROR at Row:1:Column:12\n"
        + "No such column 'foo' on entity 'Account'. If you are attempting to use a custom field, be sure "
        + "to append the '__c' after the custom field name. Please reference your WSDL or the describe call "
        + "for the appropriate names.");
    assertThat(rejected(() -> run("SELECT Id FROM Account WHERE NumberOfEmployees = '5'")))
        .hasMessageEndingWith("value of filter criterion for field 'NumberOfEmployees' must be of type "
            + "integer and should not be enclosed in quotes");
    assertThat(rejected(() -> run("SELECT Id FROM Account WHERE Name = 5")))
        .hasMessageEndingWith("value of filter criterion for field 'Name' must be of type string and "
            + "should be enclosed in quotes");
    Soql.Invalid badId = rejected(() -> run("SELECT Id FROM Account WHERE Id > 'x'"));
    assertThat(badId.errorCode()).isEqualTo("INVALID_QUERY_FILTER_OPERATOR");
    assertThat(badId).hasMessageEndingWith("invalid ID field: x");
    Soql.Invalid type = rejected(() -> run("SELECT Id FROM Bar"));
    assertThat(type.errorCode()).isEqualTo("INVALID_TYPE");
    assertThat(type).hasMessageContaining("Column:16\nsObject type 'Bar' is not supported.");
  }

  @Test
  void queryAllFiltersDeletedRecordsToo() throws Exception {
    SObjectStore accounts = Objects.requireNonNull(data.type("Account"));
    List<Object> liveApexes = List.of(id(14), id(24));
    assertThat(data.delete(accounts, 4)).isTrue();

    assertThat(column("SELECT Id FROM Account WHERE Name LIKE 'Apex%'")).isEqualTo(liveApexes);
    assertThat(Soql.parse("SELECT Id FROM Account WHERE Name LIKE 'Apex%' AND IsDeleted = true")
        .run(data, true).totalSize()).isEqualTo(1);
    assertThat(Soql.parse("SELECT COUNT() FROM Account WHERE Name LIKE 'Apex%'").run(data, true).totalSize())
        .isEqualTo(3);
  }

  @Test
  void datesAndBooleansCompareAsTheirTypes() throws Exception {
    assertThat(column("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01T00:00:28Z"))
        .containsExactly(id(29), id(30));
    assertThat(column("SELECT Id FROM Account WHERE CreatedDate <= 2024-01-01T01:00:02+01:00"))
        .containsExactly(id(1), id(2));
    assertThat(column("SELECT Id FROM Account WHERE IsDeleted = false")).hasSize(30);
    assertThat(rejected(() -> run("SELECT Id FROM Account WHERE CreatedDate > 2024-01-01")))
        .hasMessageEndingWith("must be of type dateTime and should not be enclosed in quotes");
  }

  @Test
  void theClientsResumeQueryRunsAsAnIdRangeWithTheFilterInside() throws Exception {
    String resume = "SELECT Id, Name FROM Account WHERE (Name LIKE 'A%') AND Id > '" + id(9)
        + "' ORDER BY Id LIMIT 3";
    String resumeUnfiltered = "SELECT Id, Name FROM Account WHERE (Id > '" + id(2) + "') AND Id > '" + id(9)
        + "' ORDER BY Id";

    assertThat(rows(resume)).containsExactly(List.of(id(11), "Account 000011"), List.of(id(14), "Apex 000014"),
        List.of(id(17), "Atlas 000017"));
    assertThat(column(resumeUnfiltered)).hasSize(21).startsWith(id(10));
  }

  @Test
  void anIdRangeInIdOrderStaysALazyScanOfABigOrg() throws Exception {
    DataStore big = new DataStore(1_000_000, Clock.systemUTC(), new Counters());
    String after = Ids.id("001", 999_990);

    QueryResult page = Soql.parse("SELECT Id FROM Account WHERE Id > '" + after + "' ORDER BY Id LIMIT 5")
        .run(big, false);
    QueryResult offset = Soql.parse("SELECT Id FROM Account OFFSET 2000").run(big, false);

    assertThat(page.lazy()).isTrue();
    assertThat(page.totalSize()).isEqualTo(5);
    List<Long> seqs = new ArrayList<>();
    page.forEach(0, 5, seqs::add);
    assertThat(seqs).containsExactly(999_991L, 999_992L, 999_993L, 999_994L, 999_995L);
    assertThat(offset.lazy()).isTrue();
    assertThat(offset.totalSize()).isEqualTo(998_000);
    assertThat(Objects.requireNonNull(big.type("Account")).overlay).isEmpty();
  }
}
