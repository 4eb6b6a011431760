package io.bulwark.controller.ingest.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.BulwarkCli;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TlsMaterial;
import io.bulwark.rules.testing.StixFixtures;
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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code bulwark feed add --client-cert --client-key --ca} against a running controller and a TAXII
 * server on loopback that requires client certificates; the trust of the feed in {@code indicators
 * show}; indicators that collide with the allowlist marked in the summaries. The client key must
 * not appear in any log line, CLI output or audit entry.
 */
class FeedMutualTlsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOLVER = StixFixtures.indicatorId(2);

  private Path work;
  private ControllerMain controller;
  private TaxiiTestServer server;
  private TlsMaterial.Identity serverCa;
  private TlsMaterial.Identity clientCa;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<String> printed = new ArrayList<>();
  private Level savedLevel;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    Logger bulwark = (Logger) LoggerFactory.getLogger("io.bulwark");
    savedLevel = bulwark.getLevel();
    bulwark.setLevel(Level.DEBUG);
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);

    work = Files.createTempDirectory("bulwark-feed-mtls-");
    controller = new ControllerMain(new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)),
        MutableClock.at("2026-12-04T10:00:00Z")).start();
    serverCa = TlsMaterial.ca("taxii server CA");
    clientCa = TlsMaterial.ca("taxii client CA");
    List<TaxiiTestServer.Entry> entries = List.of(
        new TaxiiTestServer.Entry(JSON.readTree(StixFixtures.indicator(1, "[ipv4-addr:value = '203.0.113.1']")),
            Instant.parse("2026-03-01T00:00:00Z")),
        new TaxiiTestServer.Entry(JSON.readTree(StixFixtures.indicator(2, "[ipv4-addr:value = '9.9.9.9']")),
            Instant.parse("2026-03-01T00:00:01Z")));
    server = new TaxiiTestServer("coll-1", entries, 10,
        TlsMaterial.serverContext(TlsMaterial.server(serverCa), serverCa, clientCa));
    Files.writeString(work.resolve("server-ca.pem"), TlsMaterial.pem(serverCa.certificate()));
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    ((Logger) LoggerFactory.getLogger("io.bulwark")).setLevel(savedLevel);
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
    Run r = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    printed.add(r.out() + r.err());
    return r;
  }

  /** Writes a client certificate of {@code ca} and its key (traditional EC, as openssl writes it); returns the key PEM. */
  private String writeClient(TlsMaterial.Identity ca, String name) throws Exception {
    String keyPem = TlsMaterial.openssl(List.of("ecparam", "-name", "prime256v1", "-genkey", "-noout"));
    var id = TlsMaterial.client(ca, "bulwark-" + name, TlsMaterial.keyPair(keyPem));
    Files.writeString(work.resolve(name + ".crt"), TlsMaterial.pem(id.certificate()));
    Files.writeString(work.resolve(name + ".key"), keyPem);
    return keyPem;
  }

  private Run addFeed(String name, String client, String... more) {
    List<String> args = new ArrayList<>(List.of("feed", "add", name, "--taxii", server.apiRoot().toString(),
        "--collection", "coll-1", "--ca", work.resolve("server-ca.pem").toString()));
    if (client != null) {
      args.addAll(List.of("--client-cert", work.resolve(client + ".crt").toString(),
          "--client-key", work.resolve(client + ".key").toString()));
    }
    args.addAll(Arrays.asList(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void rightCertificate_polls_andTheFeedsTrustAndTheAllowlistShow() throws Exception {
    String key = writeClient(clientCa, "vendor");
    Run add = addFeed("vendor", "vendor", "--trust", "high", "--severity", "critical");
    assertEquals(0, add.exit(), add.err());
    assertTrue(add.out().contains("trust high, severity critical; client certificate CN=bulwark-vendor"), add.out());
    Files.delete(work.resolve("vendor.key")); // the controller polls with the sealed copy

    Run poll = run("feed", "poll", "vendor");
    assertEquals(0, poll.exit(), poll.err());
    assertTrue(poll.out().contains("2 stored, 0 unchanged, 0 rejected, 1 allowlisted"), poll.out());

    Path file = work.resolve("same.json");
    Files.writeString(file, StixFixtures.bundleOfJson(List.of(StixFixtures.indicator(1, "[ipv4-addr:value = '203.0.113.1']"),
        StixFixtures.indicator(2, "[ipv4-addr:value = '9.9.9.9']"))));
    Run ingest = run("ingest", file.toString());
    assertEquals(0, ingest.exit(), ingest.err());
    assertTrue(ingest.out().contains("0 stored, 2 unchanged"), ingest.out());

    JsonNode shown = JSON.readTree(run("indicators", "show", StixFixtures.indicatorId(1), "--output", "json").out()).get(0);
    assertEquals("critical", shown.get("suggested_severity").asText());
    assertEquals(List.of("same.json medium", "taxii:vendor high"), List.of(
        shown.get("reports").get(0).get("source").asText() + " " + shown.get("reports").get(0).get("trust").asText(),
        shown.get("reports").get(1).get("source").asText() + " " + shown.get("reports").get(1).get("trust").asText()));
    JsonNode sources = shown.get("contributions").get(1);
    assertEquals("sources", sources.get("factor").asText());
    assertEquals(15 + 10, sources.get("points").asInt(), sources.toString());
    assertTrue(shown.get("why").asText().contains("2 sources (high 1, medium 1) (+25)"), shown.toString());

    String table = run("indicators", "show", RESOLVER).out();
    assertTrue(table.contains("allowlist: 9.9.9[.]9 overlaps 9.9.9[.]9 (public resolver)"), table);
    assertTrue(table.contains("taxii:vendor"), table);
    Run unknown = run("indicators", "show", "indicator--00000000-0000-4000-8000-000000000000");
    assertEquals(1, unknown.exit(), unknown.out());
    assertTrue(unknown.err().contains("no indicator indicator--00000000-0000-4000-8000-000000000000"), unknown.err());
    String list = run("indicators", "list", "--output", "json").out();
    assertTrue(list.contains("(public resolver)"), list);

    Run feeds = run("feed", "list", "--output", "json");
    JsonNode row = JSON.readTree(feeds.out()).get(0);
    assertEquals("high", row.get("trust").asText());
    assertTrue(row.get("tls").asText().contains("1 private CA certificate"), row.toString());
    run("audit", "list");
    assertKeyNeverShown(key);
  }

  @Test
  void withoutClientCertificate_orWithOneOfAnotherCa_thePollFails_namingTheFeedAndTls() throws Exception {
    assertEquals(0, addFeed("anonymous", null).exit());
    Run none = run("feed", "poll", "anonymous");
    assertEquals(1, none.exit(), none.out());
    assertTrue(none.err().contains("feed anonymous failed") && none.err().contains("TLS failed"), none.err());
    assertTrue(none.err().contains("0 stored"), none.err());

    String key = writeClient(TlsMaterial.ca("someone else's CA"), "stranger");
    assertEquals(0, addFeed("stranger", "stranger").exit());
    Run foreign = run("feed", "poll", "stranger");
    assertEquals(1, foreign.exit(), foreign.out());
    assertTrue(foreign.err().contains("feed stranger failed") && foreign.err().contains("TLS failed"), foreign.err());

    Run list = run("feed", "list", "--output", "json");
    for (JsonNode f : JSON.readTree(list.out())) {
      assertTrue(f.get("last_error").asText().contains("TLS failed"), f.toString());
    }
    assertTrue(run("indicators", "list").out().lines().count() <= 1, "nothing was stored");
    run("audit", "list");
    assertKeyNeverShown(key);
  }

  @Test
  void serverCertificateNotFromTheGivenCa_isRefused_evenWithTheRightClientCertificate() throws Exception {
    writeClient(clientCa, "vendor");
    Files.writeString(work.resolve("server-ca.pem"), TlsMaterial.pem(TlsMaterial.ca("not the server's CA").certificate()));
    assertEquals(0, addFeed("vendor", "vendor").exit());
    Run poll = run("feed", "poll", "vendor");
    assertEquals(1, poll.exit(), poll.out());
    assertTrue(poll.err().contains("TLS failed"), poll.err());
  }

  @Test
  void keyOfAnotherCertificate_isRefusedAtAdd_withoutShowingIt() throws Exception {
    writeClient(clientCa, "vendor");
    String other = writeClient(clientCa, "other");
    Files.copy(work.resolve("other.key"), work.resolve("vendor.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Run add = addFeed("vendor", "vendor");
    assertEquals(1, add.exit(), add.out());
    assertTrue(add.err().contains("the client key does not belong to the client certificate CN=bulwark-vendor"), add.err());
    assertKeyNeverShown(other);
  }

  /** No line of the key's PEM body, nor a part of its PKCS#8 form, in any log event, CLI output or audit entry. */
  private void assertKeyNeverShown(String keyPem) {
    List<String> body = new ArrayList<>(keyPem.lines().filter(l -> !l.startsWith("-----") && l.length() >= 16).toList());
    String pkcs8 = java.util.Base64.getEncoder().encodeToString(TlsMaterial.keyPair(keyPem).getPrivate().getEncoded());
    for (int at = 0; at + 24 <= pkcs8.length(); at += 24) {
      body.add(pkcs8.substring(at, at + 24));
    }
    assertFalse(body.isEmpty());
    List<String> seen = new ArrayList<>(printed);
    for (ILoggingEvent e : logs.list) {
      seen.add(e.getFormattedMessage());
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        seen.add(t.getMessage());
      }
    }
    assertFalse(logs.list.isEmpty(), "the logs were captured");
    for (String s : seen) {
      for (String line : body) {
        assertFalse(s != null && s.contains(line), "the client key appeared in: " + s);
      }
      assertFalse(s != null && s.contains("PRIVATE KEY"), "key material appeared in: " + s);
    }
  }
}
