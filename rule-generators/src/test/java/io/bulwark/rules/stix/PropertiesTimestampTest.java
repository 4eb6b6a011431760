package io.bulwark.rules.stix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reading of UTC timestamps agrees with {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}. */
class PropertiesTimestampTest {
  @ParameterizedTest
  @ValueSource(strings = {"2026-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.1Z", "2026-06-15T12:34:56.123Z", "1970-01-01T00:00:00.000001Z"})
  void validTimes_readAsTheIsoFormatterReadsThem(String text) {
    Instant expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    assertEquals(expected, Properties.utc(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2025-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z",
      "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z",
      "2026-01-01T23:60:00Z", "2026-01-01T23:59:60Z"})
  void outOfRangeFields_areRefusedAsTheIsoFormatterRefusesThem(String text) {
    assertThrows(DateTimeException.class, () -> OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    assertThrows(DateTimeException.class, () -> Properties.utc(text));
  }
}
