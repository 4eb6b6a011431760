package io.bulwark.rules.term;

import java.util.Comparator;
import java.util.Objects;

/**
 * An http or https URL in normalised form, built only by {@link UrlParser}.
 *
 * <p>Normalisation: the scheme is lower case; the host is a {@link DomainTerm} or a single IP
 * address; a port equal to the scheme's default is dropped; in the path and query every percent
 * escape of an unreserved character (RFC 3986 letters, digits, {@code -._~}) is decoded, every
 * other escape uses upper-case hex, and every character outside RFC 3986's unreserved, sub-delims,
 * {@code :}, {@code @}, {@code /} and {@code ?} is percent-encoded as UTF-8; the fragment is
 * dropped. User information, control characters and malformed escapes are rejected. The path and
 * query therefore only contain printable ASCII, but they do contain characters such as {@code '},
 * {@code ;} and {@code (} that generators must still escape for their target.
 *
 * @param scheme {@code http} or {@code https}
 * @param host a {@link DomainTerm} or an {@link IpPrefix} that is a single address
 * @param port the explicit port, or 0 when it is the scheme's default
 * @param path the normalised path, starting with {@code /}
 * @param query the normalised query without its {@code ?}, or null when there is none
 */
public record UrlTerm(String scheme, Term host, int port, String path, String query)
    implements Term, Comparable<UrlTerm> {

  /** Input longer than this is rejected. */
  public static final int MAX_LENGTH = 8192;

  private static final Comparator<UrlTerm> ORDER = Comparator.comparing(UrlTerm::toString);

  /** Checks the components' shape; use {@link #parse} for text from a feed. */
  public UrlTerm {
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException("scheme must be http or https");
    }
    if (!(host instanceof DomainTerm)
        && !(host instanceof IpPrefix prefix && prefix.isSingleAddress())) {
      throw new IllegalArgumentException("host must be a domain or a single IP address");
    }
    if (port < 0 || port > 65535 || port == defaultPort(scheme)) {
      throw new IllegalArgumentException("port " + port + " is not an explicit non-default port");
    }
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/") || !UrlParser.isNormalised(path)) {
      throw new IllegalArgumentException("path is not normalised");
    }
    if (query != null && !UrlParser.isNormalised(query)) {
      throw new IllegalArgumentException("query is not normalised");
    }
  }

  /**
   * Parses and normalises an untrusted URL.
   *
   * @param text untrusted text, may be null
   * @return the URL, or why the text is not an http(s) URL
   */
  public static TermParse<UrlTerm> parse(String text) {
    return UrlParser.parse(text);
  }

  static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }

  /** Returns the port the URL connects to, explicit or default. */
  public int effectivePort() {
    return port == 0 ? defaultPort(scheme) : port;
  }

  /** Returns the host as text: the domain, or the address (IPv6 without brackets). */
  public String hostName() {
    return host.toString();
  }

  /** Returns host and explicit port as in a URL, with brackets around an IPv6 address. */
  public String authority() {
    boolean v6 = host instanceof IpPrefix prefix && prefix.family() == IpPrefix.Family.V6;
    String name = v6 ? "[" + host + "]" : host.toString();
    return port == 0 ? name : name + ":" + port;
  }

  /** Returns the path followed by {@code ?query} when there is a query. */
  public String pathAndQuery() {
    return query == null ? path : path + "?" + query;
  }

  @Override
  public String kind() {
    return "url";
  }

  /** Orders by canonical text. */
  @Override
  public int compareTo(UrlTerm other) {
    return ORDER.compare(this, other);
  }

  /** Returns the normalised URL, such as {@code https://evil.example/a%20b?x=1}. */
  @Override
  public String toString() {
    return scheme + "://" + authority() + pathAndQuery();
  }
}
