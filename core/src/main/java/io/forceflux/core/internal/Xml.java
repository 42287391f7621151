package io.forceflux.core.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/** Hardened XML reading (no DTDs, no external entities) and escaping, shared by auth and error parsing. */
public final class Xml {
  private Xml() {}

  /** Escapes text for an XML element. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Parses a document, or returns {@code null} for anything that is not well-formed XML. */
  public static @Nullable Document parse(byte[] body) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder builder = f.newDocumentBuilder();
      builder.setErrorHandler(new DefaultHandler()); // quiet: no "[Fatal Error]" on stderr
      return builder.parse(new ByteArrayInputStream(body));
    } catch (ParserConfigurationException | SAXException | IOException | RuntimeException e) {
      return null;
    }
  }

  /** The text of the first element with this local name (any namespace), or {@code null}. */
  public static @Nullable String text(Document doc, String localName) {
    NodeList nodes = doc.getElementsByTagNameNS("*", localName);
    if (nodes.getLength() == 0) {
      return null;
    }
    return nodes.item(0).getTextContent();
  }
}
