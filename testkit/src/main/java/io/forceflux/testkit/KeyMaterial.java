package io.forceflux.testkit;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;

/**
 * The RSA key pair registered for the JWT bearer flow. Generating a 2048-bit key takes a noticeable fraction of a
 * second, so one pair serves every fake org in the JVM (each org still checks signatures against it).
 */
final class KeyMaterial {

  private static final class Holder {
    static final KeyMaterial INSTANCE = generate();
  }

  final PublicKey publicKey;
  final String privateKeyPem;
  final String publicKeyPem;

  private KeyMaterial(KeyPair pair) {
    this.publicKey = pair.getPublic();
    this.privateKeyPem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    this.publicKeyPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  static KeyMaterial shared() {
    return Holder.INSTANCE;
  }

  private static KeyMaterial generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new KeyMaterial(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate RSA keys", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }
}
