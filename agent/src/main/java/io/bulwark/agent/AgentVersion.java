package io.bulwark.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Reads the build's version from {@code version.properties}, filtered in by Maven. */
final class AgentVersion {

  private AgentVersion() {}

  static String read() {
    Properties properties = new Properties();
    try (InputStream in = AgentVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String version = properties.getProperty("version", "unknown");
    return version.startsWith("${") ? "unknown" : version;
  }
}
