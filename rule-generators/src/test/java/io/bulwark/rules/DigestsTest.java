package io.bulwark.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DigestsTest {

  @Test
  void sha256Hex_knownVectors_matchFips180() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digests.sha256Hex(""));
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Digests.sha256Hex("abc"));
  }

  @Test
  void sha256Hex_nonAscii_digestsUtf8Bytes() throws Exception {
    byte[] utf8 = {(byte) 0xC3, (byte) 0xA9};
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));

    assertEquals(expected, Digests.sha256Hex("\u00e9"));
  }
}
