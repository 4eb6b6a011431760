package io.bulwark.controller.ingest.taxii;

import io.bulwark.controller.domain.Countermeasure;
import io.bulwark.controller.domain.FeedTrust;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A TAXII 2.1 feed: where to poll, how to authenticate, how often, and how far it has got.
 *
 * @param name a short name, {@code [a-z0-9][a-z0-9._-]*}, at most 64 characters
 * @param apiRoot the API root URL (or a discovery URL ending in {@code /taxii2/}, whose default
 *     API root is used)
 * @param collection the collection id
 * @param auth how to authenticate
 * @param interval how often to poll; {@link Duration#ZERO} means only on demand
 * @param cursor the {@code added_after} of the next poll; empty before the first
 * @param lastPolledAt when the last poll ended, successful or not
 * @param lastError the last poll's error, empty after a successful poll
 * @param trust how much the CSIRT trusts what the feed reports
 * @param defaultSeverity the severity the feed suggests for what it reports, if any
 * @param tls a client certificate and a private server CA, or {@link FeedTls#DEFAULT}
 */
public record Feed(String name, URI apiRoot, String collection, TaxiiAuth auth, Duration interval, String cursor,
    Optional<Instant> lastPolledAt, String lastError, FeedTrust trust, Optional<Countermeasure.Severity> defaultSeverity,
    FeedTls tls) {
  /** The ingest source of what a feed reports: {@code taxii:} and the feed's name. */
  public static final String SOURCE_PREFIX = "taxii:";

  public Feed {
    if (trust == null || defaultSeverity == null || tls == null) {
      throw new IllegalArgumentException("a feed has a trust, an optional default severity and TLS settings");
    }
    if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("a feed name is 1-64 characters of a-z, 0-9, '.', '_', '-': '" + name + "'");
    }
    if (apiRoot == null || !apiRoot.isAbsolute() || apiRoot.getHost() == null
        || !("https".equals(apiRoot.getScheme()) || "http".equals(apiRoot.getScheme())) || apiRoot.getUserInfo() != null) {
      throw new IllegalArgumentException("a TAXII URL is an absolute http(s) URL without credentials: " + apiRoot);
    }
    if (collection == null || !collection.matches("[A-Za-z0-9._~-]{1,128}")) {
      throw new IllegalArgumentException("not a TAXII collection id: '" + collection + "'");
    }
    if (!tls.equals(FeedTls.DEFAULT) && !"https".equals(apiRoot.getScheme())) {
      throw new IllegalArgumentException("a client certificate or a server CA needs an https URL: " + apiRoot);
    }
    if (interval == null || interval.isNegative()) {
      throw new IllegalArgumentException("a feed interval is zero or positive");
    }
  }

  /** A new feed, never polled, of medium trust, with the JDK's TLS defaults. */
  public static Feed added(String name, URI apiRoot, String collection, TaxiiAuth auth, Duration interval) {
    return added(name, apiRoot, collection, auth, interval, FeedTrust.MEDIUM, Optional.empty(), FeedTls.DEFAULT);
  }

  /** A new feed, never polled. */
  public static Feed added(String name, URI apiRoot, String collection, TaxiiAuth auth, Duration interval,
      FeedTrust trust, Optional<Countermeasure.Severity> defaultSeverity, FeedTls tls) {
    return new Feed(name, apiRoot, collection, auth, interval, "", Optional.empty(), "", trust, defaultSeverity, tls);
  }

  /** This feed's ingest source, as indicators and their reports record it. */
  public String source() {
    return SOURCE_PREFIX + name;
  }
}
