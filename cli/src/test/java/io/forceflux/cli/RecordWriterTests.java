package io.forceflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
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

  private static String write(RecordWriter.Format format, String... records) {
    StringWriter out = new StringWriter();
    RecordWriter writer = RecordWriter.of(format, new PrintWriter(out));
    for (String record : records) {
      writer.write(JSON.readTree(record));
    }
    writer.finish();
    return out.toString();
  }
}
