package io.forceflux.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;

/**
 * The recorded Salesforce bodies, {@code src/test-fixtures/salesforce-recorded} in the repository, read from the
 * test classpath where the build puts them.
 */
final class Fixtures {

  private Fixtures() {
  }

  static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/salesforce-recorded/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no fixture salesforce-recorded/" + name + " on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@code .json} fixture, or the body of an {@code .http} one (which may lack the blank line). */
  static JsonNode json(String name) {
    String text = text(name);
    if (name.endsWith(".http")) {
      int object = text.indexOf("\n{");
      int array = text.indexOf("\n[");
      int start = object < 0 ? array : array < 0 ? object : Math.min(object, array);
      if (start < 0) {
        throw new IllegalStateException("no JSON body in " + name);
      }
      text = text.substring(start + 1);
    }
    return FakeJson.MAPPER.readTree(text);
  }

  /** A header's value in an {@code .http} fixture, matched without regard to case. */
  static String httpHeader(String name, String header) {
    for (String line : text(name).split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(header)) {
        return line.substring(colon + 1).trim();
      }
    }
    throw new IllegalStateException(header + " not in " + name);
  }

  static int httpStatus(String name) {
    return Integer.parseInt(text(name).split("\n")[0].split(" ")[1].trim());
  }

  static Document xml(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException("not XML: " + xml, e);
    }
  }

  static String xmlText(String xml, String localName) {
    Document doc = xml(xml);
    var nodes = doc.getElementsByTagNameNS("*", localName);
    if (nodes.getLength() == 0) {
      nodes = doc.getElementsByTagName(localName);
    }
    if (nodes.getLength() == 0) {
      throw new IllegalStateException(localName + " not in " + xml);
    }
    return nodes.item(0).getTextContent();
  }
}
