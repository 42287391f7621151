package io.forceflux.testkit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoqlTests {

    @Test
    void parsesTheWholeSubset() throws Exception {
        Soql.Query q = Soql.parse("select Id,Name, Industry FROM account WHERE id > '001xx\\'y' ORDER BY ID ASC "
                + "LIMIT 25");

        assertThat(q.fields()).containsExactly("Id", "Name", "Industry");
        assertThat(q.sobject()).isEqualTo("account");
        assertThat(q.afterId()).isEqualTo("001xx'y");
        assertThat(q.limit()).isEqualTo(25);
    }

    @Test
    void optionalClausesMayBeLeftOut() throws Exception {
        Soql.Query q = Soql.parse("SELECT Id FROM Contact");

        assertThat(q.afterId()).isNull();
        assertThat(q.limit()).isEqualTo(-1);
    }

    @Test
    void errorsPointAtTheUnexpectedToken() {
        assertThatThrownBy(() -> Soql.parse("SELECT Id FROMM Account"))
                .isInstanceOf(Soql.Malformed.class)
                .hasMessage("\nSELECT Id FROMM Account\n          ^\nERROR at Row:1:Column:11\n"
                        + "unexpected token: FROMM");
        assertThatThrownBy(() -> Soql.parse("SELECT Id FROM Account LIMIT"))
                .hasMessageEndingWith("unexpected token: <EOF>");
        assertThatThrownBy(() -> Soql.parse("SELECT Id FROM Account WHERE Id > 'open"))
                .hasMessageEndingWith("unterminated string literal");
    }
}
