package io.bulwark.agent.link;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers the agent's one key and certificate chain as its TLS client identity, and nothing as a
 * server. Netty's own way from a key and chain goes through a PKCS#12 key store, whose
 * password-based key protection costs about 5 ms of CPU per context (14 ms cold) against 0.1 ms
 * here: nothing for one agent, but the bulk of starting thousands of simulated ones. Thread-safe.
 */
final class IdentityKeyManager extends X509ExtendedKeyManager {
  static final String ALIAS = "agent";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  IdentityKeyManager(AgentIdentity identity) {
    Objects.requireNonNull(identity, "identity");
    this.key = identity.privateKey();
    this.chain = identity.certificateChain().toArray(new X509Certificate[0]);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  private String choose(String[] keyTypes) {
    if (keyTypes != null) {
      for (String type : keyTypes) {
        if (fits(type)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  /**
   * Whether the peer asks for a key of this one's algorithm: a TLS key type is the algorithm
   * ("EC"), or for TLS 1.2 the algorithm and its certificate's signature algorithm ("EC_EC").
   */
  private boolean fits(String keyType) {
    if (keyType == null) {
      return false;
    }
    String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
    String type = keyType.toUpperCase(Locale.ROOT);
    return type.equals(algorithm) || type.startsWith(algorithm + "_");
  }
}
