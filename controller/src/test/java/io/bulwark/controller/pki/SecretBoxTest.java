package io.bulwark.controller.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  @TempDir Path dir;

  @Test
  void tag_dependsOnKeyPurposeAndData_andSurvivesAReload() {
    SecretBox box = SecretBox.loadOrCreate(dir);
    String tag = box.tag("row", "a\nb");
    assertEquals(64, tag.length());
    assertTrue(SecretBox.loadOrCreate(dir).tagMatches("row", "a\nb", tag), "same key file, same tag");
    assertFalse(box.tagMatches("row", "a\nc", tag));
    assertFalse(box.tagMatches("other", "a\nb", tag));
    assertFalse(SecretBox.random().tagMatches("row", "a\nb", tag));
    assertFalse(box.tagMatches("row", "a\nb", null));
    assertNotEquals(tag, box.tag("row", "a\nB"));
  }

  @Test
  void sealed_opensOnlyForItsContext_andTheKeyFileIsPrivate() throws Exception {
    SecretBox box = SecretBox.loadOrCreate(dir);
    String sealed = box.seal("s3cret".getBytes(StandardCharsets.UTF_8), "host-a");
    assertEquals("s3cret", new String(box.open(sealed, "host-a"), StandardCharsets.UTF_8));
    assertThrows(IllegalStateException.class, () -> box.open(sealed, "host-b"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets.key"))));
  }
}
