/**
 * The STIX 2.1 (and 2.0) object model Bulwark needs ({@link io.bulwark.rules.stix.StixObject}, {@link
 * io.bulwark.rules.stix.Indicator}) and {@link io.bulwark.rules.stix.StixBundleReader}, a
 * streaming, bounded reader for bundles from untrusted feeds.
 */
package io.bulwark.rules.stix;
