package io.bulwark.controller.ingest.taxii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a loopback server that answers what each test sets. */
class TaxiiClientIT {
  private HttpServer server;
  private final AtomicReference<String> contentType = new AtomicReference<>(TaxiiClient.MEDIA_TYPE);
  private final AtomicReference<Integer> status = new AtomicReference<>(200);
  private final AtomicReference<String> body = new AtomicReference<>("{}");
  private final AtomicReference<String> accept = new AtomicReference<>();
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final TaxiiClient client = new TaxiiClient(new TaxiiAuth.None(), Duration.ofSeconds(10));

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", x -> {
      try (x) {
        accept.set(x.getRequestHeaders().getFirst("Accept"));
        authorization.set(x.getRequestHeaders().getFirst("Authorization"));
        byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", contentType.get());
        x.sendResponseHeaders(status.get(), b.length);
        x.getResponseBody().write(b);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI root() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/root/");
  }

  @Test
  void htmlErrorPage_isRefusedAsNotTaxiiJson() {
    contentType.set("text/html");
    body.set("<html>login</html>");
    var e = assertThrows(TaxiiException.class, () -> client.apiRoot(root()));
    assertTrue(e.getMessage().contains("not TAXII JSON") && e.getMessage().contains(root().toString()), e.getMessage());
  }

  @Test
  void brokenJson_isRefusedNamingTheUrl() {
    body.set("{\"objects\": [");
    var e = assertThrows(TaxiiException.class, () -> client.objects(root(), "c1", "", 10, ""));
    assertTrue(e.getMessage().contains("not valid JSON") && e.getMessage().contains("/root/collections/c1/objects/"),
        e.getMessage());
  }

  @Test
  void statuses_nameTheStatus_andOnlyServerErrorsAreTransient() {
    for (int s : new int[] {401, 403, 404, 406, 500, 503}) {
      status.set(s);
      var e = assertThrows(TaxiiException.class, () -> client.apiRoot(root()));
      assertTrue(e.getMessage().contains("HTTP " + s), e.getMessage());
      assertEquals(s >= 500, e.isTransient(), e.getMessage());
    }
  }

  @Test
  void requests_acceptTaxii21_andSendBasicAuthFromTheFile() throws Exception {
    java.nio.file.Path pw = java.nio.file.Files.createTempFile("taxii-pw", "");
    try {
      java.nio.file.Files.writeString(pw, "pa55\n");
      new TaxiiClient(new TaxiiAuth.Basic("alice", pw), Duration.ofSeconds(10)).apiRoot(root());
      assertEquals(TaxiiClient.MEDIA_TYPE, accept.get());
      assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("alice:pa55".getBytes(StandardCharsets.UTF_8)),
          authorization.get());
    } finally {
      java.nio.file.Files.delete(pw);
    }
  }

  @Test
  void envelopeWithMoreAndNext_isReadWithTheDateAddedHeaders() {
    body.set("{\"more\":true,\"next\":\"abc\",\"objects\":[{\"type\":\"indicator\"}]}");
    var page = client.objects(root(), "c1", "2026-01-01T00:00:00Z", 5, "");
    assertTrue(page.more());
    assertEquals("abc", page.next());
    assertEquals(1, page.objects().size());
    assertEquals("", page.dateAddedLast());
  }

  @Test
  void objectsThatAreNotJsonObjects_areRefused() {
    body.set("{\"objects\":[\"x\"]}");
    var e = assertThrows(TaxiiException.class, () -> client.objects(root(), "c1", "", 5, ""));
    assertFalse(e.isTransient());
  }
}
