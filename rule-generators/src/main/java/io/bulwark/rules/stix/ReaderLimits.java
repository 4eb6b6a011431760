package io.bulwark.rules.stix;

/**
 * Bounds that protect {@link StixBundleReader} from hostile feeds.
 *
 * <p>An object that breaks a bound is rejected on its own and the rest of the bundle is still read.
 * A single JSON token longer than {@code maxObjectBytes} aborts the whole read with {@link
 * StixFormatException}: it cannot belong to an acceptable object, and buffering it is exactly what
 * the bound is for.
 *
 * @param maxStringLength the longest string value, in characters, of any property at any depth
 * @param maxPatternLength the longest indicator {@code pattern}, in characters
 * @param maxObjectBytes the largest object, in bytes of JSON text
 * @param maxDepth the deepest nesting of arrays and objects inside one object
 */
public record ReaderLimits(
    int maxStringLength, int maxPatternLength, int maxObjectBytes, int maxDepth) {

  /** 64 KiB strings, 16 KiB patterns, 1 MiB objects, 32 levels of nesting. */
  public static final ReaderLimits DEFAULTS = new ReaderLimits(64 * 1024, 16 * 1024, 1 << 20, 32);

  /**
   * Validates the bounds.
   *
   * @throws IllegalArgumentException when a bound is not positive, or a pattern may be longer than
   *     a string
   */
  public ReaderLimits {
    if (maxStringLength < 1 || maxPatternLength < 1 || maxObjectBytes < 1 || maxDepth < 1) {
      throw new IllegalArgumentException("reader limits must be positive");
    }
    if (maxPatternLength > maxStringLength) {
      throw new IllegalArgumentException("maxPatternLength exceeds maxStringLength");
    }
  }
}
