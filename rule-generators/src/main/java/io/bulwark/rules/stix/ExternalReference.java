package io.bulwark.rules.stix;

import java.util.Objects;

/**
 * One entry of an object's {@code external_references}, such as a CVE.
 *
 * @param sourceName the source, such as {@code cve}, never null
 * @param externalId the id at that source, such as {@code CVE-2017-0144}, or null
 * @param url where to read more, or null; untrusted text, never to be followed automatically
 */
public record ExternalReference(String sourceName, String externalId, String url) {

  public ExternalReference {
    Objects.requireNonNull(sourceName, "sourceName");
  }
}
