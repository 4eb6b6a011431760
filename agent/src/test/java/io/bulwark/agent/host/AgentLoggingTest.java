package io.bulwark.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentLoggingTest {

  @Test
  void configure_matchesLogbackXml_andStopsTheOtherConfigurators() throws Exception {
    LoggerContext context = new LoggerContext();

    Configurator.ExecutionStatus status = new AgentLogging().configure(context);

    assertEquals(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, status);
    assertEquals(Level.INFO, context.getLogger("ROOT").getLevel());
    assertEquals(Level.WARN, context.getLogger("io.grpc").getLevel());
    assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
    var appender = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("STDERR");
    assertEquals("System.err", appender.getTarget());
    String xml = Files.readString(Path.of("src/main/resources/logback.xml"));
    String pattern = ((PatternLayoutEncoder) appender.getEncoder()).getPattern();
    assertEquals(true, xml.contains("<pattern>" + pattern + "</pattern>"), "same pattern as logback.xml");
  }
}
