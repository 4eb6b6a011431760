package io.bulwark.agent.config;

/**
 * A controller address, {@code host:port} or {@code [ipv6]:port}.
 *
 * <p>Immutable. The host is kept as given: it is what the controller's certificate is checked
 * against.
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException("controller host must not be empty or contain spaces");
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException("controller port must be between 1 and 65535, not " + port);
    }
  }

  /**
   * Parses {@code host:port}.
   *
   * @throws ConfigException naming the text when it is not a usable address
   */
  public static HostPort parse(String text) {
    if (text == null) {
      throw new ConfigException("controller address is missing");
    }
    String value = text.trim();
    String host;
    String port;
    if (value.startsWith("[")) {
      int close = value.indexOf("]:");
      if (close < 0) {
        throw bad(text);
      }
      host = value.substring(1, close);
      port = value.substring(close + 2);
    } else {
      int colon = value.lastIndexOf(':');
      if (colon <= 0 || value.indexOf(':') != colon) {
        throw bad(text);
      }
      host = value.substring(0, colon);
      port = value.substring(colon + 1);
    }
    if (host.isEmpty() || !port.matches("[0-9]{1,5}")) {
      throw bad(text);
    }
    return new HostPort(host, Integer.parseInt(port));
  }

  private static ConfigException bad(String text) {
    return new ConfigException("bad controller address '" + text + "': expected HOST:PORT");
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
