package io.bulwark.controller.ingest.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.BulwarkCli;
import io.bulwark.controller.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bulwark feed add|poll|list} against a running controller and a TAXII test server. */
class FeedCommandIT {
  private Path work;
  private ControllerMain controller;
  private TaxiiTestServer server;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    work = Files.createTempDirectory("bulwark-feed-cli-");
    controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)),
        MutableClock.at("2026-12-04T10:00:00Z")).start();
    var mapper = new ObjectMapper();
    List<TaxiiTestServer.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      entries.add(new TaxiiTestServer.Entry(mapper.readTree("{\"type\":\"indicator\",\"spec_version\":\"2.1\","
          + "\"id\":\"indicator--11111111-0000-4000-8000-00000000000" + i + "\",\"created\":\"2026-01-01T00:00:00Z\","
          + "\"modified\":\"2026-01-01T00:00:00Z\",\"pattern\":\"[ipv4-addr:value = '203.0.113." + (i + 1) + "']\","
          + "\"pattern_type\":\"stix\",\"valid_from\":\"2026-01-01T00:00:00Z\"}"), Instant.parse("2026-03-01T00:00:00Z")
          .plusSeconds(i)));
    }
    server = new TaxiiTestServer("coll-1", entries, 2);
  }

  @AfterEach
  void stop() {
    server.close();
    controller.close();
    io.bulwark.controller.cli.demo.Demo.deleteTree(work);
  }

  private Run run(String... args) {
    var out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    var err = new StringWriter();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      var cli = BulwarkCli.commandLine();
      cli.setErr(new PrintWriter(err, true));
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--data-dir", work.toString()));
      exit = cli.execute(all.toArray(String[]::new));
    } finally {
      System.setOut(saved);
    }
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Test
  void addPollList_storesTheFeedsIndicators_andShowsLastPollAndError() throws Exception {
    Path token = work.resolve("feed.token");
    Files.writeString(token, "t0ken\n");
    server.requireAuthorization("Bearer t0ken");

    Run add = run("feed", "add", "partner", "--taxii", server.apiRoot().toString(), "--collection", "coll-1",
        "--every", "15m", "--token-file", token.toString());
    assertEquals(0, add.exit(), add.err());
    assertTrue(add.out().contains("polled every 900s"), add.out());

    Run poll = run("feed", "poll", "partner");
    assertEquals(0, poll.exit(), poll.err());
    assertTrue(poll.out().contains("3 stored"), poll.out());

    Files.writeString(token, "revoked\n");
    Run refused = run("feed", "poll", "partner");
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("HTTP 401"), refused.err());
    assertFalse(refused.err().contains("revoked"), refused.err());

    Run list = run("feed", "list", "--output", "json");
    assertEquals(0, list.exit(), list.err());
    var row = new ObjectMapper().readTree(list.out()).get(0);
    assertEquals("partner", row.get("name").asText());
    assertEquals("2026-12-04T10:00:00Z", row.get("last_polled").asText());
    assertTrue(row.get("last_error").asText().contains("HTTP 401"), list.out());
    assertEquals("2026-03-01T00:00:02Z", row.get("cursor").asText());

    Run set = run("feed", "set", "partner", "--trust", "high", "--severity", "critical");
    assertEquals(0, set.exit(), set.err());
    assertEquals("feed partner: trust high, suggested severity critical\n", set.out());
    assertEquals("feed partner: trust high, suggested severity none\n",
        run("feed", "set", "partner", "--severity", "none").out());
    assertEquals(2, run("feed", "set", "partner").exit(), "nothing to change is a usage error");
    Run unknown = run("feed", "set", "nobody", "--trust", "low");
    assertEquals(1, unknown.exit());
    assertTrue(unknown.err().contains("no feed named 'nobody'"), unknown.err());
  }

  @Test
  void add_withARelativeOrBadUrl_isRefusedNamingIt() {
    Run r = run("feed", "add", "bad", "--taxii", "ftp://example.invalid/", "--collection", "c");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("ftp://example.invalid/"), r.err());
  }
}
