package io.bulwark.controller.ingest.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TAXII 2.1 client: discovery, API roots, collections and the objects of a collection page by
 * page. No proxy unless one is given, no redirects (credentials are never sent elsewhere), TLS with
 * the JDK's normal certificate and host name checks. Every response is bounded in size and must be
 * TAXII JSON; failures name the URL and the HTTP status.
 *
 * <p>Thread-safe.
 */
public final class TaxiiClient {
  /** The TAXII 2.1 media type, sent in {@code Accept}. */
  public static final String MEDIA_TYPE = "application/taxii+json;version=2.1";
  /** Largest response body accepted. */
  public static final int MAX_BODY = 32 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLOSED_AFTER_HANDSHAKE = "the server closed the connection after the TLS handshake"
      + " without answering: it refused the client certificate, or wanted one";
  private final HttpClient http;
  private final TaxiiAuth auth;
  private final Duration timeout;

  /** A client without a proxy, with the JDK's TLS defaults. */
  public TaxiiClient(TaxiiAuth auth, Duration timeout) {
    this(HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout).build(), auth, timeout);
  }

  /**
   * A client without a proxy over {@code tls} (a client certificate, a private CA). The JDK's
   * host name check stays on whatever the context trusts.
   */
  public TaxiiClient(SSLContext tls, TaxiiAuth auth, Duration timeout) {
    this(HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout).sslContext(tls).build(), auth, timeout);
  }

  /** A client over a given {@link HttpClient}, for a deployment that needs a proxy. */
  public TaxiiClient(HttpClient http, TaxiiAuth auth, Duration timeout) {
    this.http = http;
    this.auth = auth;
    this.timeout = timeout;
  }

  /**
   * One page of a collection's objects.
   *
   * @param objects the objects, each re-parsed JSON
   * @param more whether the server has more after this page
   * @param next the server's {@code next} token, empty if none
   * @param dateAddedFirst {@code X-TAXII-Date-Added-First}, empty if absent
   * @param dateAddedLast {@code X-TAXII-Date-Added-Last}, empty if absent
   * @param serverDate the response's HTTP {@code Date}: the server's clock, or null if absent or unreadable
   */
  public record Page(List<JsonNode> objects, boolean more, String next, String dateAddedFirst, String dateAddedLast,
      Instant serverDate) {}

  /** {@code GET /taxii2/} on the server of {@code discovery}. */
  public JsonNode discovery(URI discovery) {
    return getObject(discovery);
  }

  /** {@code GET {api-root}}: the API root's information. */
  public JsonNode apiRoot(URI apiRoot) {
    return getObject(slash(apiRoot));
  }

  /** {@code GET {api-root}/collections/}: the collections' information. */
  public List<JsonNode> collections(URI apiRoot) {
    JsonNode body = getObject(slash(apiRoot).resolve("collections/"));
    List<JsonNode> out = new ArrayList<>();
    body.path("collections").forEach(out::add);
    return out;
  }

  /**
   * {@code GET {api-root}/collections/{id}/objects/}.
   *
   * @param addedAfter a TAXII timestamp, or empty for all objects
   * @param next the previous page's {@code next} token, or empty for the first page
   */
  public Page objects(URI apiRoot, String collection, String addedAfter, int limit, String next) {
    if (!collection.matches("[A-Za-z0-9._~-]{1,128}")) {
      throw new IllegalArgumentException("not a TAXII collection id: '" + collection + "'");
    }
    StringBuilder q = new StringBuilder("limit=").append(limit);
    if (!addedAfter.isEmpty()) {
      q.append("&added_after=").append(URLEncoder.encode(addedAfter, StandardCharsets.UTF_8));
    }
    if (!next.isEmpty()) {
      q.append("&next=").append(URLEncoder.encode(next, StandardCharsets.UTF_8));
    }
    URI uri = slash(apiRoot).resolve("collections/" + collection + "/objects/?" + q);
    HttpResponse<InputStream> response = send(uri);
    JsonNode body = parse(uri, response);
    if (!body.isObject()) {
      throw new TaxiiException(uri + ": the envelope is not a JSON object", false);
    }
    JsonNode objects = body.path("objects");
    if (!objects.isMissingNode() && !objects.isArray()) {
      throw new TaxiiException(uri + ": 'objects' is not an array", false);
    }
    List<JsonNode> list = new ArrayList<>();
    objects.forEach(list::add);
    for (JsonNode o : list) {
      if (!o.isObject()) {
        throw new TaxiiException(uri + ": an entry of 'objects' is not a JSON object", false);
      }
    }
    boolean more = body.path("more").asBoolean(false);
    String nextToken = body.path("next").isTextual() ? body.path("next").asText() : "";
    return new Page(list, more, nextToken, header(response, "X-TAXII-Date-Added-First"),
        header(response, "X-TAXII-Date-Added-Last"), httpDate(header(response, "Date")));
  }

  private JsonNode getObject(URI uri) {
    JsonNode body = parse(uri, send(uri));
    if (!body.isObject()) {
      throw new TaxiiException(uri + ": the response is not a JSON object", false);
    }
    return body;
  }

  private HttpResponse<InputStream> send(URI uri) {
    String scheme = uri.getScheme();
    if (!"https".equals(scheme) && !"http".equals(scheme)) {
      throw new TaxiiException(uri + ": only http and https URLs are supported", false);
    }
    var request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", MEDIA_TYPE).GET();
    auth.header().ifPresent(h -> request.header("Authorization", h));
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      // A connection that could not be made or timed out says nothing about TLS: no probe then.
      boolean unreachable = e instanceof java.net.ConnectException || e instanceof java.net.http.HttpTimeoutException;
      Optional<String> tls = tlsCause(e).map(SSLException::getMessage)
          .or(() -> unreachable ? Optional.empty() : tlsRefusal(uri));
      if (tls.isPresent()) {
        throw new TaxiiException(uri + ": TLS failed (is the server's certificate trusted and for this host, and the"
            + " client certificate, if the server asks for one, accepted by it?): " + tls.get(), false, e);
      }
      throw new TaxiiException(uri + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(), true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaxiiException(uri + ": interrupted", true, e);
    }
    int status = response.statusCode();
    if (status != 200) {
      close(response);
      throw new TaxiiException(uri + ": HTTP " + status + " " + explain(status), status >= 500 || status == 429);
    }
    return response;
  }

  /** The TLS failure behind an I/O failure: the HTTP client may wrap a handshake alert in a plain IOException. */
  private static Optional<SSLException> tlsCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException tls) {
        return Optional.of(tls);
      }
    }
    return Optional.empty();
  }

  /**
   * Why TLS to {@code uri} fails, if it does. Over TLS 1.3 a server refuses a client certificate
   * after the handshake, which the HTTP client reports as a connection closed without an answer; a
   * handshake of our own with the same context and checks, then one read, brings the server's alert.
   * Sends no credentials; skipped when the client goes through a proxy.
   */
  private Optional<String> tlsRefusal(URI uri) {
    boolean direct = http.proxy().map(p -> p == HttpClient.Builder.NO_PROXY).orElse(true);
    if (!"https".equals(uri.getScheme()) || !direct) {
      return Optional.empty();
    }
    int port = uri.getPort() == -1 ? 443 : uri.getPort();
    int wait = (int) Math.min(timeout.toMillis(), 5_000);
    boolean handshakeDone = false;
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(uri.getHost(), port), wait);
      raw.setSoTimeout(wait);
      try (SSLSocket tls = (SSLSocket) http.sslContext().getSocketFactory().createSocket(raw, uri.getHost(), port, false)) {
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(p);
        tls.startHandshake();
        handshakeDone = true;
        tls.getOutputStream().write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAccept: "
            + MEDIA_TYPE + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        tls.getOutputStream().flush();
        if (tls.getInputStream().read() == -1) {
          return Optional.of(CLOSED_AFTER_HANDSHAKE);
        }
      }
      return Optional.empty();
    } catch (SSLException e) {
      return Optional.of(e.getMessage());
    } catch (java.net.SocketTimeoutException e) {
      return Optional.empty();
    } catch (IOException e) {
      // Some servers drop the connection instead of sending the alert.
      return handshakeDone ? Optional.of(CLOSED_AFTER_HANDSHAKE) : Optional.empty();
    }
  }

  private static String explain(int status) {
    return switch (status) {
      case 401 -> "(not authenticated: check the user and secret file)";
      case 403 -> "(forbidden: the account may not read this)";
      case 404 -> "(not found: check the URL, API root and collection id)";
      case 406 -> "(the server does not offer " + MEDIA_TYPE + ")";
      case 429 -> "(too many requests)";
      default -> status >= 500 ? "(server error)" : "(unexpected status)";
    };
  }

  private static JsonNode parse(URI uri, HttpResponse<InputStream> response) {
    String type = header(response, "Content-Type").toLowerCase(java.util.Locale.ROOT);
    if (!type.startsWith("application/taxii+json") && !type.startsWith("application/json")) {
      close(response);
      throw new TaxiiException(uri + ": the response is not TAXII JSON (Content-Type '"
          + type.replaceAll("[^\\x20-\\x7e]", "?") + "')", false);
    }
    try (InputStream in = response.body()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        throw new TaxiiException(uri + ": the response is larger than " + MAX_BODY + " bytes", false);
      }
      return JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TaxiiException(uri + ": the response is not valid JSON: " + e.getOriginalMessage(), false);
    } catch (IOException e) {
      throw new TaxiiException(uri + ": reading the response failed: " + e.getMessage(), true, e);
    }
  }

  private static Instant httpDate(String value) {
    try {
      return value.isEmpty() ? null : ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String header(HttpResponse<?> response, String name) {
    Optional<String> v = response.headers().firstValue(name);
    return v.orElse("");
  }

  private static void close(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException e) {
      // Already failing; the status is what matters.
    }
  }

  private static URI slash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? uri : URI.create(s + "/");
  }
}
