package io.bulwark.rules.stix;

/**
 * What {@link StixBundleReader#read} saw in one bundle.
 *
 * @param bundleId the bundle's id, {@code bundle--<uuid>}
 * @param accepted how many objects were accepted
 * @param rejected how many objects were rejected
 */
public record BundleSummary(String bundleId, int accepted, int rejected) {}
