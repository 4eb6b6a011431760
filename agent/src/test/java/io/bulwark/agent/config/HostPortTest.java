package io.bulwark.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void parse_hostAndPort() {
    assertEquals(new HostPort("ctl.example", 7443), HostPort.parse("ctl.example:7443"));
    assertEquals(new HostPort("127.0.0.1", 1), HostPort.parse(" 127.0.0.1:1 "));
  }

  @Test
  void parse_bracketedIpv6_roundTrips() {
    HostPort address = HostPort.parse("[2001:db8::1]:7443");

    assertEquals("2001:db8::1", address.host());
    assertEquals("[2001:db8::1]:7443", address.toString());
  }

  @Test
  void parse_badText_namesIt() {
    for (String bad : new String[] {"ctl", "ctl:", ":7443", "ctl:port", "2001:db8::1:7443"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> HostPort.parse(bad));
      assertEquals("bad controller address '" + bad + "': expected HOST:PORT", e.getMessage());
    }
  }

  @Test
  void parse_portOutOfRange_isRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> HostPort.parse("ctl:70000"));

    assertEquals("controller port must be between 1 and 65535, not 70000", e.getMessage());
  }
}
