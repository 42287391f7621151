package io.forceflux.testkit;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Salesforce-shaped identifiers. Record Ids are {@code prefix(3) + base62(seq) zero-padded to 12 + checksum(3)};
 * the base62 alphabet is in ASCII order, so comparing two Ids of one prefix as strings compares their sequence
 * numbers.
 */
final class Ids {

  static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String CHECKSUM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  private static final int BODY = 12;
  /**
   * Seeded once, at class initialization (on the thread that builds the first org), so that drawing tokens later on
   * an event loop never reads {@code /dev/urandom} (a blocking call BlockHound would flag).
   */
  private static final SecureRandom RANDOM = seeded();

  private Ids() {
  }

  private static SecureRandom seeded() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA1PRNG unavailable", e);
    }
  }

  /** The 18-character Id of record {@code seq} (1-based) with a 3-character key prefix. */
  static String id(String prefix, long seq) {
    char[] chars = new char[18];
    prefix.getChars(0, 3, chars, 0);
    long v = seq;
    for (int i = 3 + BODY - 1; i >= 3; i--) {
      chars[i] = BASE62.charAt((int) (v % 62));
      v /= 62;
    }
    appendChecksum(chars);
    return new String(chars);
  }

  /** Appends the case-safe suffix to a 15-character Id. */
  static String to18(String id15) {
    if (id15.length() != 15) {
      throw new IllegalArgumentException("not a 15-character id");
    }
    char[] chars = new char[18];
    id15.getChars(0, 15, chars, 0);
    appendChecksum(chars);
    return new String(chars);
  }

  private static void appendChecksum(char[] chars) {
    for (int chunk = 0; chunk < 3; chunk++) {
      int bits = 0;
      for (int i = 0; i < 5; i++) {
        char c = chars[chunk * 5 + i];
        if (c >= 'A' && c <= 'Z') {
          bits |= 1 << i;
        }
      }
      chars[15 + chunk] = CHECKSUM_CHARS.charAt(bits);
    }
  }

  /**
   * The sequence number encoded in {@code id} if it is a 15- or 18-character Id with {@code prefix}, else -1. The
   * first 15 characters are case-sensitive; the 18-character suffix must match, ignoring case.
   */
  static long seqOf(String prefix, String id) {
    if ((id.length() != 15 && id.length() != 18) || !id.startsWith(prefix)) {
      return -1;
    }
    long v = 0;
    for (int i = 3; i < 15; i++) {
      int d = BASE62.indexOf(id.charAt(i));
      if (d < 0 || v > (Long.MAX_VALUE - d) / 62) {
        return -1;
      }
      v = v * 62 + d;
    }
    if (id.length() == 18 && !to18(id.substring(0, 15)).substring(15).equalsIgnoreCase(id.substring(15))) {
      return -1;
    }
    return v;
  }

  /** {@code length} random characters from the base62 alphabet. */
  static String randomBase62(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(BASE62.charAt(RANDOM.nextInt(62)));
    }
    return sb.toString();
  }

  /** URL-safe random text carrying {@code bytes} random bytes. */
  static String randomUrlSafe(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A random string of decimal digits. */
  static String randomDigits(int length) {
    StringBuilder sb = new StringBuilder(length);
    sb.append((char) ('1' + RANDOM.nextInt(9)));
    for (int i = 1; i < length; i++) {
      sb.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return sb.toString();
  }
}
