package io.bulwark.controller.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BulkInsertTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "plain text | plain text",
      "a\\b | a\\\\b",
      "\\N | \\\\N",
      "\\. | \\\\.",
      "'' | ''",
  })
  void copyText_escapesBackslashes(String value, String expected) {
    StringBuilder out = new StringBuilder();
    BulkInsert.appendText(out, value);
    assertEquals(expected, out.toString());
  }

  @org.junit.jupiter.api.Test
  void copyText_escapesSeparators_andWritesNullAndNonStrings() {
    StringBuilder out = new StringBuilder();
    BulkInsert.appendText(out, "x\ty\nz\r\u00e9");
    out.append('|');
    BulkInsert.appendText(out, null);
    out.append('|');
    BulkInsert.appendText(out, true);
    BulkInsert.appendText(out, false);
    out.append('|');
    BulkInsert.appendText(out, 1_700_000_000_123L);
    out.append('|');
    BulkInsert.appendText(out, -7);
    out.append('|');
    BulkInsert.appendText(out, "");
    assertEquals("x\\ty\\nz\\r\u00e9|\\N|tf|1700000000123|-7|", out.toString());
  }
}
