package io.bulwark.controller.pki;

import java.security.Provider;
import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Bouncy Castle as the provider of the signatures the controller makes and checks in bulk: its
 * ECDSA P-256 verifies about five times faster than the JDK's (measured here: 0.2 ms against
 * 1.05 ms) and signs twice as fast, which is most of a handshake's Java-side cost when a fleet
 * reconnects at once, and of an enrollment. Registered once, after every provider the JDK has, so
 * nothing that asks for an algorithm without naming a provider gets it instead of the JDK's.
 */
public final class FastSignatures {
  private static final Provider PROVIDER = register();

  private FastSignatures() {}

  /** The provider object, for APIs that take one. */
  public static Provider provider() {
    return PROVIDER;
  }

  /** The provider's registered name, for APIs that take a name (PKIX's signature provider). */
  public static String name() {
    return PROVIDER.getName();
  }

  private static synchronized Provider register() {
    Provider present = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
    if (present != null) {
      return present;
    }
    Provider bc = new BouncyCastleProvider();
    Security.addProvider(bc);
    return bc;
  }
}
