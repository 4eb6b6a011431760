/**
 * Normalised enforceable terms ({@link io.bulwark.rules.term.IpPrefix}, {@link
 * io.bulwark.rules.term.PortTerm}, {@link io.bulwark.rules.term.DomainTerm}, {@link
 * io.bulwark.rules.term.UrlTerm}, {@link io.bulwark.rules.term.HashTerm}) and {@link
 * io.bulwark.rules.term.TermExtractor}, which derives them from parsed STIX patterns and reports
 * what it cannot derive.
 */
package io.bulwark.rules.term;
