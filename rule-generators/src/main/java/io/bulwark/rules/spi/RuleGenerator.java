package io.bulwark.rules.spi;

/**
 * Renders countermeasures as one target's native rule set (nftables, Suricata, an ACL, ...).
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} through {@link
 * GeneratorRegistry}, so each needs a public no-argument constructor and a line in {@code
 * META-INF/services/io.bulwark.rules.spi.RuleGenerator}.
 *
 * <p>Contract for every implementation:
 *
 * <ul>
 *   <li>Pure: no I/O, no clock, no randomness, no network, no environment. The same input gives the
 *       same text, byte for byte, so digests can be compared across processes.
 *   <li>Thread-safe: one instance serves concurrent calls.
 *   <li>Never throws for input it cannot express: terms it cannot render are listed as {@link
 *       Uncovered}, never silently dropped; input it cannot take at all yields {@link
 *       GenerationResult.Unsupported}, and input breaking the contract yields {@link
 *       GenerationResult.Invalid}.
 *   <li>Never pastes text: every value in the output is re-rendered from a normalised term, so
 *       nothing from a feed can inject a statement.
 * </ul>
 */
public interface RuleGenerator {

  /**
   * Returns the stable id of this target, in lowercase, such as {@code nftables}. Devices and
   * stored rule sets refer to generators by it, so it never changes once released.
   */
  String id();

  /**
   * Renders the rule set for {@code input}.
   *
   * @param input the countermeasures of one device, never null
   * @return the rule set, or why there is none; never null
   */
  GenerationResult generate(RuleInput input);
}
