package io.bulwark.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The one-time enrollment token file written by {@code bulwark token create}.
 *
 * <p>Java properties with the keys {@code device}, {@code token} ({@code <id>.<secret>}), {@code
 * ca_pin} ({@code sha256:} and 64 hex digits), and optionally {@code controller} ({@code
 * host:port}, advisory) and {@code expires} (ISO instant). {@link #toString()} never shows the
 * token; nothing else in the agent may print it either.
 *
 * @param controller null when the file has none
 * @param expires null when the file has none
 */
public record TokenFile(
    Path path, String device, String token, String caPin, HostPort controller, Instant expires) {

  private static final List<String> REQUIRED = List.of("device", "token", "ca_pin");

  /**
   * Reads and validates a token file.
   *
   * @throws ConfigException naming the file and every missing key, or the first bad value
   */
  public static TokenFile read(Path path) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (NoSuchFileException e) {
      throw new ConfigException("token file " + path + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("token file " + path + " cannot be read: " + e.getMessage());
    }
    List<String> missing = new ArrayList<>();
    for (String key : REQUIRED) {
      if (properties.getProperty(key, "").isBlank()) {
        missing.add(key);
      }
    }
    if (!missing.isEmpty()) {
      throw new ConfigException(
          "token file "
              + path
              + " is missing "
              + (missing.size() == 1 ? "key " : "keys ")
              + String.join(", ", missing));
    }
    String token = properties.getProperty("token").trim();
    int dot = token.indexOf('.');
    if (dot <= 0 || dot == token.length() - 1) {
      throw new ConfigException("token file " + path + ": token is not of the form <id>.<secret>");
    }
    String pin = properties.getProperty("ca_pin").trim().toLowerCase(Locale.ROOT);
    if (!pin.matches("sha256:[0-9a-f]{64}")) {
      throw new ConfigException(
          "token file " + path + ": ca_pin must be 'sha256:' followed by 64 hex digits");
    }
    return new TokenFile(
        path,
        properties.getProperty("device").trim(),
        token,
        pin,
        controller(path, properties.getProperty("controller")),
        expires(path, properties.getProperty("expires")));
  }

  private static HostPort controller(Path path, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return HostPort.parse(value);
    } catch (ConfigException e) {
      throw new ConfigException("token file " + path + ": " + e.getMessage());
    }
  }

  private static Instant expires(Path path, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "token file " + path + ": expires is not an ISO instant: '" + value.trim() + "'");
    }
  }

  @Override
  public String toString() {
    return "TokenFile[path="
        + path
        + ", device="
        + device
        + ", token=<redacted>, caPin="
        + caPin
        + ", controller="
        + controller
        + ", expires="
        + expires
        + "]";
  }
}
