package io.bulwark.controller.ingest.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.ingest.BundleIngestor;
import io.bulwark.controller.pki.SecretBox;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a feed: fetches the pages added after its cursor and ingests each page's objects through
 * {@link BundleIngestor} in one transaction. The cursor moves to a page's {@code
 * X-TAXII-Date-Added-Last} only after that page is committed, so a failure re-fetches the failed
 * page at the next poll; duplicates are harmless since ingest is versioned by id and modified. The
 * query asks for objects added from one microsecond before the cursor, so objects that share the
 * cursor's timestamp across a page boundary are not skipped (they come again and stay unchanged).
 * A server that sends no such header moves the cursor only at the end of a complete poll (see
 * {@link #settle}).
 *
 * <p>Transient failures (5xx, 429, network) are retried with doubling back-off. Thread-safe; two
 * polls of the same feed at once are serialised.
 */
public final class FeedPoller {
  private static final Logger log = LoggerFactory.getLogger(FeedPoller.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_PAGES = 10_000;
  /** How far before the server's clock at a query an undated poll leaves the cursor. */
  static final Duration SETTLE = Duration.ofSeconds(60);

  /** Waits between attempts; tests pass one that does not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /** What a poll did. */
  public sealed interface Outcome {
    int pages();

    int stored();

    int unchanged();

    int rejected();

    /** Stored indicators whose terms collide with the allowlist of the guard rails. */
    int allowlisted();

    String cursor();

    /** Every page up to the end was fetched and committed. */
    record Completed(int pages, int stored, int unchanged, int rejected, int allowlisted, String cursor) implements Outcome {}

    /** The poll stopped at {@code error}; what was committed before it stays. */
    record Failed(int pages, int stored, int unchanged, int rejected, int allowlisted, String cursor,
        String error) implements Outcome {}
  }

  private final FeedStore feeds;
  private final BundleIngestor ingestor;
  private final Function<Feed, TaxiiClient> clients;
  private final AuditLog audit;
  private final Clock clock;
  private final Sleeper sleeper;
  private final int pageSize;
  private final int attempts;
  private final Duration backoff;
  private final java.util.Set<String> warnedUndated = new java.util.HashSet<>();

  public FeedPoller(FeedStore feeds, BundleIngestor ingestor, Function<Feed, TaxiiClient> clients, AuditLog audit,
      Clock clock, Sleeper sleeper, int pageSize, int attempts, Duration backoff) {
    this.feeds = feeds;
    this.ingestor = ingestor;
    this.clients = clients;
    this.audit = audit;
    this.clock = clock;
    this.sleeper = sleeper;
    this.pageSize = pageSize;
    this.attempts = attempts;
    this.backoff = backoff;
  }

  /**
   * The controller's poller: pages of 500, 4 attempts from 2 s back-off, 30 s per request; client
   * keys are opened with {@code secrets} for each poll.
   */
  public static FeedPoller standard(FeedStore feeds, BundleIngestor ingestor, AuditLog audit, Clock clock,
      SecretBox secrets) {
    return new FeedPoller(feeds, ingestor, clients(secrets, Duration.ofSeconds(30)), audit, clock,
        d -> Thread.sleep(d.toMillis()), 500, 4, Duration.ofSeconds(2));
  }

  /** A client per feed: its authentication and, when it has any, its own TLS settings. */
  public static Function<Feed, TaxiiClient> clients(SecretBox secrets, Duration timeout) {
    return feed -> feed.tls().equals(FeedTls.DEFAULT) ? new TaxiiClient(feed.auth(), timeout)
        : new TaxiiClient(feed.tls().context(feed.name(), secrets), feed.auth(), timeout);
  }

  /**
   * Polls feed {@code name} on behalf of {@code actor}.
   *
   * @throws InvalidRequestException when there is no such feed
   */
  public synchronized Outcome poll(String name, String actor) {
    Feed feed = feeds.find(name).orElseThrow(() -> new InvalidRequestException("no feed named '" + name + "'"));
    String cursor = feed.cursor();
    int pages = 0;
    int stored = 0;
    int unchanged = 0;
    int rejected = 0;
    int allowlisted = 0;
    Outcome outcome;
    try {
      TaxiiClient client = clients.apply(feed);
      URI root = apiRoot(client, feed.apiRoot());
      String next = "";
      String after = before(cursor);
      Instant queriedAt = null;
      boolean undated = false;
      boolean complete = false;
      while (true) {
        // A next token belongs to the query that produced it: added_after stays until none is given.
        String query = next.isEmpty() ? before(cursor) : after;
        after = query;
        String token = next;
        TaxiiClient.Page page = withRetry(() -> client.objects(root, feed.collection(), query, pageSize, token));
        pages++;
        queriedAt = queriedAt == null ? page.serverDate() : queriedAt;
        undated |= !page.objects().isEmpty() && page.dateAddedLast().isEmpty();
        if (!page.objects().isEmpty()) {
          var report = ingestor.ingest(new ByteArrayInputStream(bundle(feed.name(), page.objects())), feed.source());
          stored += report.stored();
          unchanged += report.unchanged();
          rejected += report.rejectedCount();
          allowlisted += report.allowlisted().size();
        }
        String last = laterOf(cursor, page.dateAddedLast());
        boolean moved = !last.equals(cursor);
        if (moved) {
          cursor = last;
          feeds.advance(feed.name(), cursor);
        }
        complete = !page.more();
        if (complete || pages >= MAX_PAGES || (page.next().isEmpty() && !moved)) {
          break;
        }
        next = page.next();
      }
      if (undated && complete) {
        cursor = settle(feed.name(), cursor, queriedAt);
      }
      outcome = new Outcome.Completed(pages, stored, unchanged, rejected, allowlisted, cursor);
      feeds.polled(feed.name(), clock.instant(), "");
    } catch (TaxiiException | IllegalArgumentException e) {
      outcome = new Outcome.Failed(pages, stored, unchanged, rejected, allowlisted, cursor, e.getMessage());
      feeds.polled(feed.name(), clock.instant(), e.getMessage());
      log.warn("feed {} stopped after {} pages: {}", feed.name(), pages, e.getMessage());
    } catch (RuntimeException e) {
      // The page could not be stored (the store, or a bundle refused whole): nothing of it was kept and
      // the cursor stays before it, so the next poll asks for it again. The error shows in feed list.
      String error = "storing page " + pages + " failed: " + firstLine(e.getMessage() == null ? e.toString()
          : e.getMessage());
      outcome = new Outcome.Failed(pages, stored, unchanged, rejected, allowlisted, cursor, error);
      feeds.polled(feed.name(), clock.instant(), error);
      log.warn("feed {} stopped after {} pages: {}", feed.name(), pages, error);
    }
    audit.append(actor, "feed.poll", feed.name(), describe(outcome));
    return outcome;
  }

  private static String firstLine(String text) {
    String line = text.lines().findFirst().orElse("");
    return line.length() > 500 ? line.substring(0, 500) + "..." : line;
  }

  /** One line for the audit log and the CLI. */
  public static String describe(Outcome o) {
    String counts = o.pages() + " pages, " + o.stored() + " stored, " + o.unchanged() + " unchanged, " + o.rejected()
        + " rejected, " + o.allowlisted() + " allowlisted, cursor " + (o.cursor().isEmpty() ? "(start)" : o.cursor());
    return o instanceof Outcome.Failed f ? "failed: " + f.error() + " (" + counts + ")" : counts;
  }

  private URI apiRoot(TaxiiClient client, URI url) {
    if (!url.getPath().endsWith("/taxii2/")) {
      return url;
    }
    JsonNode d = withRetry(() -> client.discovery(url));
    String root = d.path("default").asText("");
    if (root.isEmpty()) {
      throw new TaxiiException(url + ": the discovery names no default API root; give the API root's URL", false);
    }
    URI resolved = url.resolve(root);
    if (!resolved.getHost().equalsIgnoreCase(url.getHost()) || !resolved.getScheme().equals(url.getScheme())) {
      throw new TaxiiException(url + ": the default API root is on another server; give the API root's URL", false);
    }
    return resolved;
  }

  private <T> T withRetry(java.util.function.Supplier<T> call) {
    Duration wait = backoff;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (TaxiiException e) {
        if (!e.isTransient() || attempt >= attempts) {
          throw e;
        }
        log.info("transient TAXII failure, attempt {} of {}, retrying in {}: {}", attempt, attempts, wait, e.getMessage());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        wait = wait.multipliedBy(2);
      }
    }
  }

  private static byte[] bundle(String feed, List<JsonNode> objects) {
    ObjectNode b = JSON.createObjectNode();
    b.put("type", "bundle");
    b.put("id", "bundle--" + UUID.randomUUID());
    b.putArray("objects").addAll(objects);
    try {
      return JSON.writeValueAsString(b).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new TaxiiException("feed " + feed + ": cannot re-render the objects: " + e.getOriginalMessage(), false);
    }
  }

  /**
   * The cursor after a complete poll of a server that sent objects without {@code
   * X-TAXII-Date-Added-Last}: the server's own clock when the poll's query began ({@code Date}),
   * less {@link #SETTLE}. Every object added before then was in that query's answer, which was read
   * to its end; objects added since, and those of commits still under way, come again next time
   * (unchanged). Neither the objects' own times nor this controller's clock are used: feeds get
   * those wrong. Without a {@code Date} the cursor stays and the collection is read again.
   */
  private String settle(String feed, String cursor, Instant queriedAt) {
    if (warnedUndated.add(feed)) {
      log.info("feed {} sends no X-TAXII-Date-Added-Last; its cursor follows the server's Date at each complete poll,"
          + " less {}", feed, SETTLE);
    }
    if (queriedAt == null) {
      return cursor;
    }
    String settled = laterOf(cursor, queriedAt.minus(SETTLE).toString());
    if (!settled.equals(cursor)) {
      feeds.advance(feed, settled);
    }
    return settled;
  }

  private static String laterOf(String cursor, String dateAdded) {
    if (dateAdded.isEmpty()) {
      return cursor;
    }
    Instant added = timestamp(dateAdded);
    return cursor.isEmpty() || added.isAfter(timestamp(cursor)) ? added.toString() : cursor;
  }

  private static String before(String cursor) {
    return cursor.isEmpty() ? "" : timestamp(cursor).minusNanos(1000).toString();
  }

  private static Instant timestamp(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new TaxiiException("not a TAXII timestamp: '" + s.replaceAll("[^\\x20-\\x7e]", "?") + "'", false);
    }
  }
}
