package io.forceflux.reactor.client;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Query-result bodies for tests: records with sortable Salesforce-shaped Ids. */
final class Pages {
  private Pages() {}

  /** The Id of record {@code n} (1-based): 18 alphanumerics, ordered like {@code n}. */
  static String id(long n) {
    return "001" + String.format("%012d", n) + "AAA";
  }

  /** Records {@code from..from+count-1}, with {@code next} as nextRecordsUrl (null: done). */
  static String json(long from, int count, long total, @Nullable String next) {
    StringBuilder sb = new StringBuilder("{\"totalSize\":").append(total).append(",\"done\":").append(next == null);
    if (next != null) {
      sb.append(",\"nextRecordsUrl\":\"").append(next).append('"');
    }
    sb.append(",\"records\":[");
    for (int i = 0; i < count; i++) {
      long n = from + i;
      sb.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Account\",\"url\":\"/services/data/v67.0/sobjects/"
          + "Account/").append(id(n)).append("\"},\"Id\":\"").append(id(n)).append("\",\"Name\":\"Account ").append(n)
          .append("\"}");
    }
    return sb.append("]}").toString();
  }

  static Page page(long from, int count, long total, @Nullable String next) {
    return Page.parse(json(from, count, total, next).getBytes(StandardCharsets.UTF_8));
  }
}
