package dev.kopeck.tokens.media;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The PDF standard security handler, as far as counting pages needs: the file key for the empty
 * user password (revisions 2 to 4: RC4 40 to 128 bits and AES-128; 5 and 6: AES-256), checked
 * against the file's {@code /U} so a file that needs a password is refused saying so, and the
 * decryption of the object streams a page tree may sit in (ISO 32000-2, 7.6). Strings are not
 * decrypted: a page tree needs none.
 */
final class PdfCrypt {
  private static final byte[] PAD = {
    (byte) 0x28, (byte) 0xBF, (byte) 0x4E, (byte) 0x5E, (byte) 0x4E, (byte) 0x75, (byte) 0x8A, (byte) 0x41,
    (byte) 0x64, (byte) 0x00, (byte) 0x4E, (byte) 0x56, (byte) 0xFF, (byte) 0xFA, (byte) 0x01, (byte) 0x08,
    (byte) 0x2E, (byte) 0x2E, (byte) 0x00, (byte) 0xB6, (byte) 0xD0, (byte) 0x68, (byte) 0x3E, (byte) 0x80,
    (byte) 0x2F, (byte) 0x0C, (byte) 0xA9, (byte) 0xFE, (byte) 0x64, (byte) 0x53, (byte) 0x69, (byte) 0x7A};

  private enum Method { NONE, RC4, AESV2, AESV3 }

  private final Source s;
  private final byte[] key;
  private final Method streams;

  private PdfCrypt(Source s, byte[] key, Method streams) {
    this.s = s;
    this.key = key;
    this.streams = streams;
  }

  static PdfCrypt open(Source s, Map<String, Object> enc, byte[] id0) {
    String filter = enc.get("Filter") instanceof Pdf.Name n ? n.value() : null;
    if (!"Standard".equals(filter)) {
      throw s.error(0, "encrypted with the " + filter + " security handler (a certificate or a plug-in): Kopeck"
          + " reads only the standard one, so the pages cannot be counted");
    }
    long v = longOf(enc.get("V"), 0);
    long r = longOf(enc.get("R"), 0);
    byte[] o = bytesOf(enc.get("O"));
    byte[] u = bytesOf(enc.get("U"));
    long p = longOf(enc.get("P"), 0);
    Method method = v == 1 || v == 2 ? Method.RC4 : v == 4 ? Method.RC4 : v == 5 ? Method.AESV3 : null;
    if (method == null) {
      throw s.error(0, "encrypted with version " + v + " of the standard security handler, which Kopeck does not"
          + " read");
    }
    if (v == 4 || v == 5) {
      method = cryptFilter(s, enc, "StmF", method);
    }
    if (r <= 4) {
      int len = v == 1 ? 5 : (int) Math.min(16, Math.max(5, longOf(enc.get("Length"), 40) / 8));
      boolean metadata = !(enc.get("EncryptMetadata") instanceof Pdf.Op op && op.word().equals("false"));
      byte[] key = key(o, p, id0, r, len, metadata);
      if (!userPasswordIsEmpty(key, u, id0, r)) {
        throw needsPassword(s, r);
      }
      return new PdfCrypt(s, key, method);
    }
    if (r == 5 || r == 6) {
      if (u.length < 48) {
        throw s.error(0, "encrypted, and its /U entry is too short to read");
      }
      byte[] validation = Arrays.copyOfRange(u, 32, 40);
      byte[] keySalt = Arrays.copyOfRange(u, 40, 48);
      byte[] check = r == 5 ? sha256(validation) : hash6(new byte[0], validation, new byte[0]);
      if (!Arrays.equals(check, Arrays.copyOf(u, 32))) {
        throw needsPassword(s, r);
      }
      byte[] intermediate = r == 5 ? sha256(keySalt) : hash6(new byte[0], keySalt, new byte[0]);
      byte[] ue = bytesOf(enc.get("UE"));
      if (ue.length < 32) {
        throw s.error(0, "encrypted, and its /UE entry is too short to read");
      }
      byte[] key = aes(Cipher.DECRYPT_MODE, "AES/CBC/NoPadding", intermediate, new byte[16], Arrays.copyOf(ue, 32));
      return new PdfCrypt(s, key, method);
    }
    throw s.error(0, "encrypted with revision " + r + " of the standard security handler, which Kopeck does not read");
  }

  private static Method cryptFilter(Source s, Map<String, Object> enc, String which, Method dflt) {
    String name = enc.get(which) instanceof Pdf.Name n ? n.value() : "Identity";
    if (name.equals("Identity")) {
      return Method.NONE;
    }
    Object cf = enc.get("CF") instanceof Map<?, ?> m ? m.get(name) : null;
    String cfm = cf instanceof Map<?, ?> f && f.get("CFM") instanceof Pdf.Name n ? n.value() : "None";
    return switch (cfm) {
      case "V2" -> Method.RC4;
      case "AESV2" -> Method.AESV2;
      case "AESV3" -> Method.AESV3;
      case "None" -> Method.NONE;
      default -> throw s.error(0, "encrypted with the crypt filter method " + cfm + ", which Kopeck does not read");
    };
  }

  private static MediaException needsPassword(Source s, long r) {
    return s.error(0, "encrypted with a user password (standard security handler, revision " + r + "): the pages"
        + " cannot be counted without it; send the document unencrypted");
  }

  /** A stream's data as the file holds it, decrypted with the key of object {@code num}, {@code gen}. */
  byte[] decryptStream(byte[] data, int num, int gen, long at) {
    if (streams == Method.NONE) {
      return data;
    }
    if (streams == Method.AESV3) {
      return aesData(key, data, at);
    }
    byte[] k = objectKey(num, gen, streams == Method.AESV2);
    return streams == Method.RC4 ? rc4(k, data) : aesData(k, data, at);
  }

  private byte[] aesData(byte[] k, byte[] data, long at) {
    if (data.length < 16 || data.length % 16 != 0) {
      if (data.length == 0) {
        return data;
      }
      throw s.error(at, "an encrypted stream whose length is not whole AES blocks");
    }
    byte[] plain = aes(Cipher.DECRYPT_MODE, "AES/CBC/NoPadding", k, Arrays.copyOf(data, 16),
        Arrays.copyOfRange(data, 16, data.length));
    int pad = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xff;
    return pad >= 1 && pad <= 16 && pad <= plain.length ? Arrays.copyOf(plain, plain.length - pad) : plain;
  }

  /** Algorithm 1: the file key extended by the object's number and generation. */
  private byte[] objectKey(int num, int gen, boolean aes) {
    MessageDigest md5 = digest("MD5");
    md5.update(key);
    md5.update(new byte[] {(byte) num, (byte) (num >> 8), (byte) (num >> 16), (byte) gen, (byte) (gen >> 8)});
    if (aes) {
      md5.update("sAlT".getBytes(StandardCharsets.ISO_8859_1));
    }
    return Arrays.copyOf(md5.digest(), Math.min(key.length + 5, 16));
  }

  /** Algorithm 2: the file key from the (empty) user password. */
  private static byte[] key(byte[] o, long p, byte[] id0, long r, int len, boolean metadata) {
    MessageDigest md5 = digest("MD5");
    md5.update(PAD);
    md5.update(Arrays.copyOf(o, 32));
    md5.update(new byte[] {(byte) p, (byte) (p >> 8), (byte) (p >> 16), (byte) (p >> 24)});
    md5.update(id0);
    if (r >= 4 && !metadata) {
      md5.update(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
    }
    byte[] h = md5.digest();
    if (r >= 3) {
      for (int i = 0; i < 50; i++) {
        h = digest("MD5").digest(Arrays.copyOf(h, len));
      }
    }
    return Arrays.copyOf(h, len);
  }

  /** Algorithms 4 and 5: does the key of the empty password make the file's /U? */
  private static boolean userPasswordIsEmpty(byte[] key, byte[] u, byte[] id0, long r) {
    if (r == 2) {
      return Arrays.equals(rc4(key, PAD), Arrays.copyOf(u, 32));
    }
    MessageDigest md5 = digest("MD5");
    md5.update(PAD);
    md5.update(id0);
    byte[] x = rc4(key, md5.digest());
    for (int i = 1; i <= 19; i++) {
      byte[] k = new byte[key.length];
      for (int j = 0; j < key.length; j++) {
        k[j] = (byte) (key[j] ^ i);
      }
      x = rc4(k, x);
    }
    return u.length >= 16 && Arrays.equals(x, Arrays.copyOf(u, 16));
  }

  /** Algorithm 2.B (revision 6): the hash of a password with a salt, rounds of SHA-2 and AES-128. */
  private static byte[] hash6(byte[] password, byte[] salt, byte[] udata) {
    byte[] k = sha256(concat(password, salt, udata));
    for (int round = 0; ; round++) {
      byte[] one = concat(password, k, udata);
      byte[] k1 = new byte[one.length * 64];
      for (int i = 0; i < 64; i++) {
        System.arraycopy(one, 0, k1, i * one.length, one.length);
      }
      byte[] e = aes(Cipher.ENCRYPT_MODE, "AES/CBC/NoPadding", Arrays.copyOf(k, 16), Arrays.copyOfRange(k, 16, 32), k1);
      int mod = 0;
      for (int i = 0; i < 16; i++) {
        mod += e[i] & 0xff;
      }
      k = digest(switch (mod % 3) {
        case 0 -> "SHA-256";
        case 1 -> "SHA-384";
        default -> "SHA-512";
      }).digest(e);
      if (round >= 63 && (e[e.length - 1] & 0xff) <= round - 31) {
        return Arrays.copyOf(k, 32);
      }
    }
  }

  private static byte[] sha256(byte[] data) {
    return digest("SHA-256").digest(data);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** RC4: the cipher is small and the JDK's providers need not have it. */
  static byte[] rc4(byte[] key, byte[] data) {
    int[] st = new int[256];
    for (int i = 0; i < 256; i++) {
      st[i] = i;
    }
    for (int i = 0, j = 0; i < 256; i++) {
      j = (j + st[i] + (key[i % key.length] & 0xff)) & 0xff;
      int t = st[i];
      st[i] = st[j];
      st[j] = t;
    }
    byte[] out = new byte[data.length];
    for (int k = 0, i = 0, j = 0; k < data.length; k++) {
      i = (i + 1) & 0xff;
      j = (j + st[i]) & 0xff;
      int t = st[i];
      st[i] = st[j];
      st[j] = t;
      out[k] = (byte) (data[k] ^ st[(st[i] + st[j]) & 0xff]);
    }
    return out;
  }

  private static byte[] aes(int mode, String transform, byte[] key, byte[] iv, byte[] data) {
    try {
      Cipher c = Cipher.getInstance(transform);
      c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return c.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES is missing: " + e.getMessage(), e);
    }
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long longOf(Object o, long dflt) {
    return o instanceof Long l ? l : dflt;
  }

  private static byte[] bytesOf(Object o) {
    return o instanceof byte[] b ? b : new byte[0];
  }
}
