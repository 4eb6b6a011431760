package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.domain.InvalidRequestException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options of {@code bulwark controller} become its configuration, without starting it. */
class ControllerCommandTest {
  @TempDir Path dir;

  private ControllerConfig parse(String... args) {
    ControllerCommand command = new ControllerCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void deviceCertificates_last24HoursByDefault() {
    assertEquals(java.time.Duration.ofHours(24), parse("--data-dir", dir.toString()).deviceCertificateValidity());
    assertEquals(java.time.Duration.ofHours(6),
        parse("--data-dir", dir.toString(), "--device-cert-validity", "6h").deviceCertificateValidity());
  }

  @Test
  void sshParallelism_defaultsTo64() {
    assertEquals(64, parse("--data-dir", dir.toString()).sshParallelism());
    assertEquals(ControllerConfig.DEFAULT_SSH_PARALLELISM, parse("--data-dir", dir.toString()).sshParallelism());
  }

  @Test
  void sshParallelism_givenIsTaken_atBothEndsOfTheRange() {
    assertEquals(8, parse("--data-dir", dir.toString(), "--ssh-parallelism", "8").sshParallelism());
    assertEquals(1, parse("--data-dir", dir.toString(), "--ssh-parallelism", "1").sshParallelism());
    assertEquals(512, parse("--data-dir", dir.toString(), "--ssh-parallelism=512").sshParallelism());
  }

  @Test
  void sshParallelism_outOfRange_isAUsageErrorNamingTheOption() {
    for (String bad : new String[] {"0", "-3", "513", "2147483647"}) {
      var e = assertThrows(BulwarkException.Usage.class,
          () -> parse("--data-dir", dir.toString(), "--ssh-parallelism", bad));
      assertEquals("--ssh-parallelism " + bad + " is out of range: use 1 to 512", e.getMessage());
    }
  }

  @Test
  void handshakeRate_defaultsToTheGate_isTaken_andOutOfRangeIsAUsageError() {
    assertEquals(io.bulwark.controller.api.HandshakeGate.DEFAULT_PER_SECOND,
        parse("--data-dir", dir.toString()).handshakeRate());
    assertEquals(250, parse("--data-dir", dir.toString(), "--handshake-rate", "250").handshakeRate());
    for (String bad : new String[] {"0", "-1", "100001"}) {
      var e = assertThrows(BulwarkException.Usage.class,
          () -> parse("--data-dir", dir.toString(), "--handshake-rate", bad));
      assertTrue(e.getMessage().startsWith("--handshake-rate " + bad + " is out of range"), e.getMessage());
    }
  }

  @Test
  void keepGenerations_defaultsTo20_isTaken_andOutOfRangeIsAUsageError() {
    assertEquals(20, parse("--data-dir", dir.toString()).keepGenerations());
    assertEquals(3, parse("--data-dir", dir.toString(), "--keep-generations", "3").keepGenerations());
    for (String bad : new String[] {"0", "-2", "1000001"}) {
      var e = assertThrows(BulwarkException.Usage.class,
          () -> parse("--data-dir", dir.toString(), "--keep-generations", bad));
      assertEquals("--keep-generations " + bad + " is out of range: use 1 to 1000000", e.getMessage());
    }
  }

  @Test
  void configBuiltInCode_refusesAnOutOfRangeParallelismToo() {
    var base = parse("--data-dir", dir.toString());
    var e = assertThrows(InvalidRequestException.class, () -> new ControllerConfig(base.dataDir(), base.listen(),
        base.adminListen(), null, base.advertise(), base.deviceCertificateValidity(), base.approvalPolicy(), null,
        null, null, 513));
    assertTrue(e.getMessage().contains("--ssh-parallelism 513"), e.getMessage());
  }

  @Test
  void dailyReportAt_defaultsToMidnight_andTakesAnHourAndMinute() {
    assertEquals(java.time.LocalTime.MIDNIGHT, parse("--data-dir", dir.toString()).dailyReport().at());
    assertEquals(java.time.LocalTime.of(6, 30),
        parse("--data-dir", dir.toString(), "--daily-report-at", "06:30").dailyReport().at());
    assertEquals(java.time.LocalTime.of(23, 59),
        parse("--data-dir", dir.toString(), "--daily-report-at=23:59").dailyReport().at());
  }

  @Test
  void dailyReportAt_notATimeOfDay_isAUsageErrorNamingTheOption() {
    for (String bad : new String[] {"24:00", "6:30", "06:60", "06:30:00", "noon", ""}) {
      var e = assertThrows(BulwarkException.Usage.class,
          () -> parse("--data-dir", dir.toString(), "--daily-report-at", bad));
      assertEquals("--daily-report-at '" + bad + "' is not a time of day: use HH:MM in UTC, 00:00 to 23:59,"
          + " for example 06:30", e.getMessage());
    }
  }
}
