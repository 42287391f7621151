package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

class RecordWriterTests {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String RECORD = "{\"attributes\":{\"type\":\"Contact\",\"url\":\"/x\"},\"Id\":\"003A\","
      + "\"Name\":\"Smith, \\\"J\\\"\",\"Email\":null,\"Owner\":{\"attributes\":{\"type\":\"User\"},\"Name\":\"Ann\"},"
      + "\"Cases\":{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Case\"},\"Id\":\"500A\"}]}}";

  @Test
  void csvFlattensParentsQuotesAndDropsAttributesEverywhere() {
    String csv = write(RecordWriter.Format.CSV, RECORD, RECORD);

    assertThat(csv.split("\r\n")).containsExactly(
        "Id,Name,Email,Owner.Name,Cases",
        "003A,\"Smith, \"\"J\"\"\",,Ann,\"{\"\"totalSize\"\":1,\"\"done\"\":true,\"\"records\"\":[{\"\"Id\"\":\"\"500A\"\"}]}\"",
        "003A,\"Smith, \"\"J\"\"\",,Ann,\"{\"\"totalSize\"\":1,\"\"done\"\":true,\"\"records\"\":[{\"\"Id\"\":\"\"500A\"\"}]}\"");
  }

  @Test
  void ndjsonAndJsonKeepTheShapeWithoutAttributes() {
    String ndjson = write(RecordWriter.Format.NDJSON, RECORD);
    String json = write(RecordWriter.Format.JSON, RECORD, RECORD);

    assertThat(ndjson).endsWith("\n").doesNotContain("attributes").contains("\"Owner\":{\"Name\":\"Ann\"}");
    assertThat(JSON.readTree(json).size()).isEqualTo(2);
    assertThat(json).doesNotContain("attributes");
    assertThat(write(RecordWriter.Format.JSON)).isEqualTo("[]\n");
    assertThat(write(RecordWriter.Format.CSV)).isEmpty();
  }

  @Test
  void keepsSalesforceNumbersAndTextAsSent() {
    String record = "{\"attributes\":{\"type\":\"Account\"},\"Id\":\"001A\",\"AnnualRevenue\":12345678901234.57,"
        + "\"NumberOfEmployees\":7,\"IsDeleted\":false,\"Name\":\"Zoë \\u2603 \\\"Q\\\"\"}";

    String ndjson = write(RecordWriter.Format.NDJSON, record);
    String csv = write(RecordWriter.Format.CSV, record);

    assertThat(ndjson).isEqualTo("{\"Id\":\"001A\",\"AnnualRevenue\":12345678901234.57,\"NumberOfEmployees\":7,"
        + "\"IsDeleted\":false,\"Name\":\"Zoë ☃ \\\"Q\\\"\"}\n");
    assertThat(csv.split("\r\n")).containsExactly("Id,AnnualRevenue,NumberOfEmployees,IsDeleted,Name",
        "001A,12345678901234.57,7,false,\"Zoë ☃ \"\"Q\"\"\"");
  }

  @Test
  void csvPutsARecordWithOtherFieldsUnderTheFirstRecordsColumns() {
    String csv = write(RecordWriter.Format.CSV, "{\"Id\":\"1\",\"Name\":\"a\",\"Owner\":null}",
        "{\"Name\":\"b\",\"Id\":\"2\",\"Extra\":\"x\"}", "{\"Id\":\"3\",\"Owner\":{\"Name\":\"Ann\"}}");

    assertThat(csv.split("\r\n")).containsExactly("Id,Name,Owner", "1,a,", "2,b,", "3,,");
  }

  @Test
  void reportsAClosedStdoutInsteadOfThrowing() {
    OutputStream closed = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    for (RecordWriter.Format format : RecordWriter.Format.values()) {
      RecordWriter writer = RecordWriter.of(format, new BufferedOutputStream(closed, 16));
      Object record = decode(writer, RECORD);

      // Buffers fill first (the CSV generator has its own): the failure shows within a few hundred records.
      int written = 0;
      while (written < 10_000 && writer.write(record)) {
        written++;
      }
      assertThat(written).as(format.name()).isLessThan(10_000);
      assertThat(writer.failed()).isTrue();
      assertThat(writer.write(record)).as("stays failed").isFalse();
    }
  }

  /** Decoded as the client decodes page records: the format's decoder reads the parser on the record. */
  private static Object decode(RecordWriter writer, String record) {
    try (JsonParser p = JSON.createParser(record)) {
      p.nextToken();
      Object decoded = writer.decoder().decode(p);
      assertThat(p.currentToken()).isEqualTo(JsonToken.END_OBJECT);
      return decoded;
    }
  }

  private static String write(RecordWriter.Format format, String... records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordWriter writer = RecordWriter.of(format, out);
    for (String record : records) {
      assertThat(writer.write(decode(writer, record))).isTrue();
    }
    writer.finish();
    return out.toString(StandardCharsets.UTF_8);
  }
}
