package io.bulwark.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.proto.admin.v1.IngestRequest;
import io.bulwark.rules.testing.StixFixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code indicators related}, {@code search} and {@code list --pending} against a real controller. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IndicatorsCorrelationIT {
  private Path work;
  private ControllerMain controller;

  @BeforeAll
  void start() throws Exception {
    work = Files.createTempDirectory("bulwark-correlate-");
    controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)),
        MutableClock.at("2026-12-04T10:00:00Z")).start();
    String bundle = StixFixtures.bundleOfJson(List.of(
        StixFixtures.indicator(1, "[ipv4-addr:value = '198.51.100.0/24']"),
        StixFixtures.indicator(2, "[ipv4-addr:value = '198.51.100.7']"),
        StixFixtures.indicator(3, "[url:value = 'http://evil.example/x']")));
    try (AdminClient admin = AdminClient.open(work)) {
      admin.stub().ingest(IngestRequest.newBuilder().setSource("it").setBundleJson(ByteString.copyFromUtf8(bundle)).build());
    }
  }

  @AfterAll
  void stop() {
    if (controller != null) {
      controller.close();
    }
    io.bulwark.controller.cli.demo.Demo.deleteTree(work);
  }

  private String run(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
          java.util.stream.Stream.of("--data-dir", work.toString())).toArray(String[]::new);
      assertEquals(0, BulwarkCli.commandLine().execute(full));
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void related_showsTheLevelAndTheSharedValue_defanged() {
    String out = run("indicators", "related", StixFixtures.indicatorId(2));
    assertTrue(out.contains(StixFixtures.indicatorId(1)), out);
    assertTrue(out.contains("related-low: 198.51.100[.]7 ~ 198.51.100[.]0/24"), out);
    assertFalse(out.contains("198.51.100.7"), out);
  }

  @Test
  void search_byAddress_findsTheCidr_andUrlIsDefanged() {
    String out = run("indicators", "search", "198.51.100[.]7");
    assertTrue(out.contains("198.51.100[.]0/24 contains 198.51.100[.]7"), out);
    String url = run("indicators", "search", "http://evil.example/x");
    assertTrue(url.contains("hxxp://evil[.]example/x"), url);
  }

  @Test
  void listPending_showsPriorityAndWhy() {
    String out = run("indicators", "list", "--pending", "--output", "json");
    assertTrue(out.contains("\"priority\""), out);
    assertTrue(out.contains("confidence 50 (default)"), out);
    assertTrue(out.contains(StixFixtures.indicatorId(3)), out);
  }
  @Test
  void list_inEveryFormat_showsFeedValuesDefanged() {
    for (String format : List.of("table", "json")) {
      String out = run("indicators", "list", "--output", format);
      assertTrue(out.contains("198.51.100[.]7") && out.contains("hxxp://evil[.]example/x"), out);
      assertFalse(out.contains("198.51.100.7") || out.contains("http://"), out);
    }
  }
}
