package io.forceflux.reactor.redis;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * AES-GCM for values at rest: a fresh random 96-bit nonce per value, a 128-bit tag, and associated data
 * that binds a value to its credential and field, so a value copied to another entry does not open.
 * Sealed form: {@code "1:" + Base64(nonce || ciphertext+tag)}. Never shows the key.
 */
final class TokenCipher {
  static final String SEALED = "1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  TokenCipher(byte[] key) {
    if (key.length != 16 && key.length != 32) {
      throw new IllegalArgumentException("encryptionKey must be 128 or 256 bits (16 or 32 bytes), not "
          + key.length * 8 + " bits");
    }
    this.key = new SecretKeySpec(key, "AES");
    this.random = drbg();
  }

  /** A DRBG seeded now, on the building thread: later nonces need no I/O (no read of /dev/urandom). */
  private static SecureRandom drbg() {
    SecureRandom r;
    try {
      r = SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      r = new SecureRandom();
    }
    r.nextBytes(new byte[NONCE_BYTES]);
    return r;
  }

  String seal(String plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return SEALED + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      // AES-GCM is mandatory in every JDK; reaching this is a broken JCE, and the message names no secret.
      throw new IllegalStateException("AES-GCM unavailable: " + e.getClass().getSimpleName());
    }
  }

  /** The plaintext, or null if {@code sealed} is not ours (other key, tampered, other entry, not sealed). */
  @Nullable String open(String sealed, String associatedData) {
    if (!sealed.startsWith(SEALED)) {
      return null;
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(SEALED.length()));
      if (in.length < NONCE_BYTES + TAG_BITS / 8) {
        return null;
      }
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "TokenCipher[AES-GCM, " + key.getEncoded().length * 8 + "-bit key]";
  }
}
