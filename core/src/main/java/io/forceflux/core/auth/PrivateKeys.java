package io.forceflux.core.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Loads RSA private keys with the JDK alone. Error messages never include key material. */
final class PrivateKeys {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private PrivateKeys() {}

  static PrivateKey fromPkcs8Pem(String pem) {
    int begin = pem.indexOf(BEGIN);
    int end = pem.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          pem.contains("BEGIN RSA PRIVATE KEY")
              ? "the private key is PKCS#1 (BEGIN RSA PRIVATE KEY); convert it with "
                  + "'openssl pkcs8 -topk8 -nocrypt' to PKCS#8 (BEGIN PRIVATE KEY)"
              : "the private key is not a PKCS#8 PEM (BEGIN PRIVATE KEY ... END PRIVATE KEY)");
    }
    String base64 = pem.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("the PKCS#8 PEM does not hold a valid RSA private key");
    }
  }

  static PrivateKey fromPkcs12(Path file, char[] password, String alias) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password);
      if (!(store.getKey(alias, password) instanceof PrivateKey key)) {
        throw new IllegalArgumentException("no private key under alias '" + alias + "' in " + file);
      }
      return key;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read PKCS#12 keystore " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
