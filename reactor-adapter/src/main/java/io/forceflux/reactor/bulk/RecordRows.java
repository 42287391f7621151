package io.forceflux.reactor.bulk;

import io.forceflux.core.internal.Redaction;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.SynchronousSink;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Records to CSV rows: the first record's properties are the columns. */
final class RecordRows {
  private @Nullable List<String> columns;
  private byte[] header = new byte[0];

  byte[] header() {
    return header;
  }

  void row(Object record, SynchronousSink<byte[]> sink) {
    JsonNode node;
    try {
      node = record instanceof JsonNode n ? n : DefaultBulkClient.JSON.valueToTree(record);
    } catch (JacksonException e) {
      sink.error(new IllegalArgumentException("a record could not be turned into JSON: "
          + record.getClass().getName()));
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      sink.error(new IllegalArgumentException("each record must be an object, map or JsonNode object"));
      return;
    }
    if (columns == null) {
      List<String> names = new ArrayList<>();
      for (String name : object.propertyNames()) {
        if (!name.equals("attributes")) {
          if (!CsvRows.COLUMN.matcher(name).matches()) {
            sink.error(new IllegalArgumentException("not a field name: " + Redaction.snippet(name, 80)));
            return;
          }
          names.add(name);
        }
      }
      if (names.isEmpty()) {
        sink.error(new IllegalArgumentException("the first record has no fields"));
        return;
      }
      columns = names;
      header = CsvRows.write(names.toArray(new String[0]));
    }
    String[] values = new String[columns.size()];
    int matched = 0;
    for (int i = 0; i < values.length; i++) {
      JsonNode value = object.get(columns.get(i));
      if (value == null || value.isMissingNode()) {
        values[i] = "";
        continue;
      }
      matched++;
      if (value.isContainer()) {
        sink.error(new IllegalArgumentException("field " + columns.get(i) + " holds an object or array"));
        return;
      }
      values[i] = value.isNull() ? "#N/A" : value.asString();
    }
    int own = object.has("attributes") ? object.size() - 1 : object.size();
    if (own != matched) {
      sink.error(new IllegalArgumentException("a record has a field the first record did not have (columns: "
          + columns + ")"));
      return;
    }
    sink.next(CsvRows.write(values));
  }
}
