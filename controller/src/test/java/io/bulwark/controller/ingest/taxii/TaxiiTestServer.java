package io.bulwark.controller.ingest.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A TAXII 2.1 server for tests, written from the specification (sections 4 and 5): discovery, one
 * API root {@code /api1/}, its collections and {@code GET objects} with {@code added_after},
 * {@code limit} (capped at the server's page size), {@code next} and {@code more}, and the {@code
 * X-TAXII-Date-Added-First/Last} headers. It checks {@code Accept} (406 otherwise) and, when set,
 * the {@code Authorization} header (401 otherwise), and can fail object requests on demand.
 */
final class TaxiiTestServer implements AutoCloseable {
  static final String MEDIA = "application/taxii+json;version=2.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An object with the time the server added it. */
  record Entry(JsonNode object, Instant added) {}

  private final HttpServer server;
  private final String scheme;
  private final String collection;
  private final List<Entry> entries;
  private final int pageSize;
  private final AtomicInteger failLaterPages = new AtomicInteger();
  private final AtomicInteger objectRequests = new AtomicInteger();
  private volatile String requiredAuthorization;
  private volatile boolean dateHeaders = true;

  TaxiiTestServer(String collection, List<Entry> entries, int pageSize) throws IOException {
    this(collection, entries, pageSize, null);
  }

  /**
   * A server over HTTPS with {@code tls} (its certificate, and the CAs it accepts client certificates
   * from) that refuses clients without a certificate it trusts; plain HTTP when {@code tls} is null.
   */
  TaxiiTestServer(String collection, List<Entry> entries, int pageSize, SSLContext tls) throws IOException {
    this.collection = collection;
    this.entries = new ArrayList<>(entries);
    this.entries.sort(Comparator.comparing(Entry::added));
    this.pageSize = pageSize;
    if (tls == null) {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      scheme = "http";
    } else {
      HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = tls.getDefaultSSLParameters();
          p.setNeedClientAuth(true);
          params.setSSLParameters(p);
        }
      });
      server = https;
      scheme = "https";
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** The objects of the collection of {@code root} with id {@code collection} in medallion's data. */
  static List<Entry> medallion(Path file, String root, String collection) throws IOException {
    JsonNode c = null;
    for (JsonNode n : JSON.readTree(file.toFile()).path(root).path("collections")) {
      if (n.path("id").asText().equals(collection)) {
        c = n;
      }
    }
    if (c == null) {
      throw new IllegalArgumentException(file + " has no collection " + collection);
    }
    Map<String, Instant> added = new HashMap<>();
    for (JsonNode m : c.path("manifest")) {
      added.put(m.path("id").asText() + "@" + m.path("version").asText(), Instant.parse(m.path("date_added").asText()));
    }
    List<Entry> out = new ArrayList<>();
    for (JsonNode o : c.path("objects")) {
      String version = o.has("modified") ? o.path("modified").asText() : o.path("created").asText();
      Instant at = added.get(o.path("id").asText() + "@" + version);
      if (at != null) {
        out.add(new Entry(o, at));
      }
    }
    return out;
  }

  URI apiRoot() {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/api1/");
  }

  URI discovery() {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/taxii2/");
  }

  /** Leaves out the {@code X-TAXII-Date-Added-First/Last} headers, as some servers do. */
  void omitDateAddedHeaders() {
    dateHeaders = false;
  }

  /** Adds {@code entry} to the collection. */
  synchronized void add(Entry entry) {
    entries.add(entry);
    entries.sort(Comparator.comparing(Entry::added));
  }

  /** The next {@code count} object requests that carry a {@code next} token get 503. */
  void failLaterPages(int count) {
    failLaterPages.set(count);
  }

  void requireAuthorization(String header) {
    requiredAuthorization = header;
  }

  int objectRequests() {
    return objectRequests.get();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String accept = x.getRequestHeaders().getFirst("Accept");
      if (accept == null || !accept.replace(" ", "").contains(MEDIA)) {
        send(x, 406, error("406", "only " + MEDIA));
        return;
      }
      String auth = requiredAuthorization;
      if (auth != null && !auth.equals(x.getRequestHeaders().getFirst("Authorization"))) {
        send(x, 401, error("401", "authentication required"));
        return;
      }
      String path = x.getRequestURI().getPath();
      String base = scheme + "://127.0.0.1:" + server.getAddress().getPort();
      if (path.equals("/taxii2/")) {
        ObjectNode d = JSON.createObjectNode().put("title", "test server").put("default", base + "/api1/");
        d.putArray("api_roots").add(base + "/api1/");
        send(x, 200, d);
      } else if (path.equals("/api1/")) {
        ObjectNode r = JSON.createObjectNode().put("title", "api1").put("max_content_length", 10_000_000);
        r.putArray("versions").add(MEDIA);
        send(x, 200, r);
      } else if (path.equals("/api1/collections/")) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("collections").addObject().put("id", collection).put("title", "test").put("can_read", true)
            .put("can_write", false);
        send(x, 200, c);
      } else if (path.equals("/api1/collections/" + collection + "/objects/")) {
        objects(x);
      } else {
        send(x, 404, error("404", "no such resource"));
      }
    }
  }

  private synchronized void objects(HttpExchange x) throws IOException {
    objectRequests.incrementAndGet();
    Map<String, String> q = query(x.getRequestURI().getRawQuery());
    int offset = q.containsKey("next") ? Integer.parseInt(q.get("next")) : 0;
    if (offset > 0 && failLaterPages.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      send(x, 503, error("503", "try later"));
      return;
    }
    Instant after = q.containsKey("added_after") ? Instant.parse(q.get("added_after")) : Instant.MIN;
    int limit = Math.min(pageSize, q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : pageSize);
    List<Entry> matching = entries.stream().filter(e -> e.added().isAfter(after)).toList();
    List<Entry> page = matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()));
    ObjectNode envelope = JSON.createObjectNode();
    boolean more = offset + page.size() < matching.size();
    envelope.put("more", more);
    if (more) {
      envelope.put("next", Integer.toString(offset + page.size()));
    }
    if (!page.isEmpty()) {
      var objects = envelope.putArray("objects");
      page.forEach(e -> objects.add(e.object()));
    }
    if (!page.isEmpty() && dateHeaders) {
      x.getResponseHeaders().add("X-TAXII-Date-Added-First", page.get(0).added().toString());
      x.getResponseHeaders().add("X-TAXII-Date-Added-Last", page.get(page.size() - 1).added().toString());
    }
    send(x, 200, envelope);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String p : raw.split("&")) {
        int eq = p.indexOf('=');
        if (eq > 0) {
          q.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return q;
  }

  private static ObjectNode error(String code, String title) {
    return JSON.createObjectNode().put("title", title).put("http_status", code);
  }

  private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
    byte[] b = JSON.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", MEDIA);
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
