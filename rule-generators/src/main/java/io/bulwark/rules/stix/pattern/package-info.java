/**
 * The STIX 2.1 patterning language: an immutable syntax tree ({@link
 * io.bulwark.rules.stix.pattern.Pattern} and the sealed hierarchies below it) and {@link
 * io.bulwark.rules.stix.pattern.PatternParser}, which parses the complete STIX 2.1 grammar and
 * reports errors as values with their position.
 */
package io.bulwark.rules.stix.pattern;
