package io.bulwark.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

class AgentLoggingTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AgentLogging.Factory loggers =
      new AgentLogging.Factory(Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8));

  private String[] lines() {
    return bytes.toString(StandardCharsets.UTF_8).split("\\R");
  }

  @Test
  void info_isOneLine_withTimeLevelSimpleNameAndFormattedMessage() {
    loggers.getLogger("io.bulwark.agent.link.Enroller").info("enrolled as {} at {}", "web-1", 7);

    String[] lines = lines();
    assertEquals(1, lines.length);
    assertTrue(
        lines[0].matches(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  Enroller - enrolled as web-1 at 7"),
        lines[0]);
  }

  @Test
  void levels_rootFromTheProperty_transportAtWarn() {
    Logger agent = loggers.getLogger("io.bulwark.agent.Agent");
    Logger grpc = loggers.getLogger("io.grpc.netty.NettyClientHandler");
    Logger netty = loggers.getLogger("io.netty.handler.ssl.SslHandler");

    assertTrue(agent.isInfoEnabled());
    assertFalse(agent.isDebugEnabled());
    assertFalse(grpc.isInfoEnabled());
    assertTrue(grpc.isWarnEnabled());
    assertFalse(netty.isInfoEnabled());
    agent.debug("hidden");
    grpc.info("hidden too");
    netty.warn("shown");
    assertEquals(1, lines().length);
    assertTrue(lines()[0].contains("WARN  SslHandler - shown"), lines()[0]);
  }

  @Test
  void trailingThrowable_printsItsStackTraceAfterTheLine() {
    loggers.getLogger("x.Y").warn("push failed for {}", "web-1", new IOException("reset"));

    String[] lines = lines();
    assertTrue(lines[0].endsWith("WARN  Y - push failed for web-1"), lines[0]);
    assertEquals("java.io.IOException: reset", lines[1]);
    assertTrue(lines[2].trim().startsWith("at "), lines[2]);
  }

  @Test
  void level_ofTheProperty_isCaseInsensitive_andFallsBackToInfo() {
    assertEquals(Level.WARN, AgentLogging.level("warn"));
    assertEquals(Level.DEBUG, AgentLogging.level(" DEBUG "));
    assertEquals(Level.INFO, AgentLogging.level("loud"));
    assertEquals(Level.INFO, AgentLogging.level(null));
  }
}
