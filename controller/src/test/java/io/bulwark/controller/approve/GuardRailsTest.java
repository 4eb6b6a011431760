package io.bulwark.controller.approve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.domain.GuardEntry;
import io.bulwark.rules.term.Term;
import io.bulwark.rules.term.UrlTerm;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GuardRailsTest {
  private final GuardRails rails = GuardRails.withDefaults(
      List.of(InetAddress.getLoopbackAddress(), address("10.9.9.9")), List.of("controller.corp.example"));

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
    "10.1.2.3               | 10.1.2.3 overlaps 10.0.0.0/8 (private (RFC 1918))",
    "198.51.100.7           | ''",
    "windowsupdate.com      | windowsupdate.com overlaps windowsupdate.com (software updates)",
    "download.windowsupdate.com | download.windowsupdate.com overlaps windowsupdate.com (software updates)",
    "microsoft.com          | microsoft.com overlaps update.microsoft.com (software updates)",
    "notwindowsupdate.com   | ''",
    "corp.example           | corp.example overlaps controller.corp.example (the controller's own name)",
    "evil.example           | ''"
  })
  void defaults_protectAddressesAndNames_aboveAndBelow(String value, String collision) {
    assertEquals(collision, rails.check(term(value)).map(Object::toString).orElse(""));
  }

  @Test
  void urlHost_isCheckedAsTheNameOrAddressItIs() {
    Term url = ((io.bulwark.rules.term.TermParse.Valid<UrlTerm>) UrlTerm.parse("http://security.debian.org/x")).term();

    assertTrue(rails.check(url).isPresent());
  }

  @Test
  void csirtEntries_protectMore_andAllowWhatTheDefaultsProtect_butNeverTheController() {
    rails.update(List.of(
        entry("partner.example", GuardEntry.Effect.PROTECT, "our partner"),
        entry("10.20.0.0/16", GuardEntry.Effect.ALLOW, "quarantine net"),
        entry("10.0.0.0/8", GuardEntry.Effect.ALLOW, "too wide, but the controller stays protected")),
        List.of(new GuardRails.Protected(term("10.30.0.5"), "managed device fw-1")));

    assertEquals("www.partner.example overlaps partner.example (our partner (protected by carol))",
        rails.check(term("www.partner.example")).orElseThrow().toString());
    assertEquals(Optional.empty(), rails.check(term("10.20.3.4")), "allowed");
    assertEquals("10.9.9.9 overlaps 10.9.9.9 (the controller's own address)",
        rails.check(term("10.9.9.9")).orElseThrow().toString());
    assertEquals("10.30.0.0/24 overlaps 10.30.0.5 (managed device fw-1)",
        rails.check(term("10.30.0.0/24")).orElseThrow().toString());

    rails.update(List.of(), List.of());
    assertTrue(rails.check(term("10.20.3.4")).isPresent(), "the allow entry is gone");
    assertEquals(Optional.empty(), rails.check(term("www.partner.example")));
  }

  private static GuardEntry entry(String value, GuardEntry.Effect effect, String reason) {
    return new GuardEntry(value, effect, reason, "carol", Instant.parse("2026-12-04T10:00:00Z"));
  }

  private static Term term(String value) {
    return GuardRails.value(value).orElseThrow();
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
