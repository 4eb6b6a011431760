package io.bulwark.controller.ingest.taxii;

import io.bulwark.controller.domain.AuditLog;
import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.FeedTrust;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.pki.SecretBox;
import io.bulwark.proto.admin.v1.AddFeedRequest;
import io.bulwark.proto.admin.v1.ListFeedsResponse;
import io.bulwark.proto.admin.v1.PollFeedResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The admin calls on feeds, behind the role check of the {@code api} edge: each validates its
 * request, acts and records it in the audit log. Secret files are named, never read here; a
 * client key is checked against its certificate and sealed, and neither it nor its seal leaves.
 */
public final class FeedCalls {
  private final FeedStore feeds;
  private final FeedPoller poller;
  private final AuditLog audit;
  private final SecretBox secrets;

  public FeedCalls(FeedStore feeds, FeedPoller poller, AuditLog audit, SecretBox secrets) {
    this.feeds = feeds;
    this.poller = poller;
    this.audit = audit;
    this.secrets = secrets;
  }

  /** Adds a feed. @throws InvalidRequestException naming the bad field, or when the name is taken */
  public io.bulwark.proto.admin.v1.Feed add(AddFeedRequest r, String actor) {
    Feed feed;
    try {
      URI url = new URI(r.getUrl());
      TaxiiAuth auth = switch (r.getAuthKind().isEmpty() ? "none" : r.getAuthKind()) {
        case "none" -> new TaxiiAuth.None();
        case "basic" -> new TaxiiAuth.Basic(r.getUser(), secretFile(r.getSecretFile()));
        case "bearer" -> new TaxiiAuth.Bearer(secretFile(r.getSecretFile()));
        default -> throw new IllegalArgumentException("auth kind must be none, basic or bearer");
      };
      if (r.getIntervalSeconds() != 0 && r.getIntervalSeconds() < 60) {
        throw new IllegalArgumentException("a feed is polled at most every minute (interval " + r.getIntervalSeconds() + "s)");
      }
      FeedTrust trust = FeedTrust.parse(r.getTrust());
      Optional<Countermeasure.Severity> severity = r.getDefaultSeverity().isBlank() ? Optional.empty()
          : Optional.of(Countermeasure.Severity.parse(r.getDefaultSeverity()));
      byte[] key = r.getClientKeyPem().toByteArray();
      FeedTls tls;
      try {
        tls = FeedTls.seal(r.getName(), r.getClientCertPem(), key, r.getServerCaPem(), secrets);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
      feed = Feed.added(r.getName(), url, r.getCollection(), auth, Duration.ofSeconds(r.getIntervalSeconds()), trust,
          severity, tls);
    } catch (URISyntaxException e) {
      throw new InvalidRequestException("not a URL: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    }
    if (!feeds.add(feed)) {
      throw new InvalidRequestException("a feed named '" + feed.name() + "' exists");
    }
    audit.append(actor, "feed.add", feed.name(), feed.apiRoot() + " collection " + feed.collection() + ", auth "
        + feed.auth().kind() + ", every " + feed.interval().toSeconds() + "s, trust " + feed.trust().label()
        + feed.defaultSeverity().map(v -> ", default severity " + v.label()).orElse("") + ", " + feed.tls().describe());
    return toProto(feed);
  }

  /** {@code SetFeedTrust}: the feed's trust and suggested severity from now on; audited. */
  public io.bulwark.proto.admin.v1.Feed setTrust(io.bulwark.proto.admin.v1.SetFeedTrustRequest r, String actor) {
    Feed feed = feeds.find(r.getName())
        .orElseThrow(() -> new InvalidRequestException("no feed named '" + r.getName() + "'"));
    FeedTrust trust = r.getTrust().isBlank() ? feed.trust() : FeedTrust.parse(r.getTrust());
    Countermeasure.Severity severity = r.getDefaultSeverity().isBlank() ? feed.defaultSeverity().orElse(null)
        : r.getDefaultSeverity().strip().equalsIgnoreCase("none") ? null
        : Countermeasure.Severity.parse(r.getDefaultSeverity());
    feeds.setTrust(feed.name(), trust, severity);
    audit.append(actor, "feed.set", feed.name(), "trust " + feed.trust().label() + " -> " + trust.label()
        + ", default severity " + feed.defaultSeverity().map(Countermeasure.Severity::label).orElse("none") + " -> "
        + (severity == null ? "none" : severity.label()));
    return toProto(feeds.find(feed.name()).orElseThrow());
  }

  public ListFeedsResponse list() {
    var out = ListFeedsResponse.newBuilder();
    feeds.list().forEach(f -> out.addFeeds(toProto(f)));
    return out.build();
  }

  /** Polls one feed now; a failed poll is a response with its error, not a call failure. */
  public PollFeedResponse poll(String name, String actor) {
    FeedPoller.Outcome o = poller.poll(name, actor);
    var out = PollFeedResponse.newBuilder().setCompleted(o instanceof FeedPoller.Outcome.Completed)
        .setPages(o.pages()).setStored(o.stored()).setUnchanged(o.unchanged()).setRejected(o.rejected())
        .setCursor(o.cursor()).setAllowlisted(o.allowlisted());
    if (o instanceof FeedPoller.Outcome.Failed f) {
      out.setError(f.error());
    }
    return out.build();
  }

  private static Path secretFile(String file) {
    Path p = Path.of(file);
    if (file.isEmpty() || !p.isAbsolute()) {
      throw new IllegalArgumentException("the secret file must be an absolute path on the controller's host");
    }
    return p;
  }

  private static io.bulwark.proto.admin.v1.Feed toProto(Feed f) {
    return io.bulwark.proto.admin.v1.Feed.newBuilder().setName(f.name()).setUrl(f.apiRoot().toString())
        .setCollection(f.collection()).setIntervalSeconds(f.interval().toSeconds()).setAuthKind(f.auth().kind())
        .setCursor(f.cursor()).setLastPolledAtMillis(f.lastPolledAt().map(java.time.Instant::toEpochMilli).orElse(0L))
        .setLastError(f.lastError()).setTrust(f.trust().label())
        .setDefaultSeverity(f.defaultSeverity().map(Countermeasure.Severity::label).orElse(""))
        .setTls(f.apiRoot().getScheme().equals("https") ? f.tls().describe() : "").build();
  }
}
