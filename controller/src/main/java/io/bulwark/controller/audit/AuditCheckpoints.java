package io.bulwark.controller.audit;

import io.bulwark.controller.domain.AuditEntry;
import io.bulwark.controller.domain.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * Signed checkpoints of the audit chain. The hash chain shows an edited, deleted or moved
 * entry; a checkpoint also shows a chain rewritten from scratch with fresh hashes, since the
 * rewriter lacks the controller's signing key. Thread-safe.
 */
public final class AuditCheckpoints {
  private static final String CONTEXT = "bulwark-audit-checkpoint\n";
  private final Jdbi jdbi;
  private final AuditLog log;
  private final Function<byte[], byte[]> signer;
  private final PublicKey publicKey;
  private final Clock clock;

  /**
   * @param signer signs a message with the controller's Ed25519 key
   * @param publicKey the key the signatures are checked with
   */
  public AuditCheckpoints(Jdbi jdbi, AuditLog log, Function<byte[], byte[]> signer, PublicKey publicKey, Clock clock) {
    this.jdbi = jdbi;
    this.log = log;
    this.signer = signer;
    this.publicKey = publicKey;
    this.clock = clock;
  }

  /** A signed checkpoint. */
  public record Checkpoint(long sequence, String hash, String signature) {}

  /** Signs the current head unless it is already signed; returns the new checkpoint, if any. */
  public Optional<Checkpoint> checkpoint() {
    AuditEntry.Head head = log.head();
    if (head.sequence() == 0) {
      return Optional.empty();
    }
    boolean exists = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_checkpoints WHERE sequence = :s")
        .bind("s", head.sequence()).mapTo(Integer.class).one()) > 0;
    if (exists) {
      return Optional.empty();
    }
    String signature = Base64.getEncoder().encodeToString(signer.apply(message(head.sequence(), head.hash())));
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_checkpoints (sequence, hash, signature, at) VALUES (:s, :h, :sig, :at)")
        .bind("s", head.sequence()).bind("h", head.hash()).bind("sig", signature).bind("at", clock.millis()).execute());
    return Optional.of(new Checkpoint(head.sequence(), head.hash(), signature));
  }

  /**
   * Signs entry {@code sequence}, whose hash is {@code hash}, on {@code h} (inside the caller's
   * transaction) unless a checkpoint is there already: the anchor of an archive.
   */
  void sign(org.jdbi.v3.core.Handle h, long sequence, String hash) {
    boolean exists = h.createQuery("SELECT COUNT(*) FROM audit_checkpoints WHERE sequence = :s")
        .bind("s", sequence).mapTo(Integer.class).one() > 0;
    if (!exists) {
      h.createUpdate("INSERT INTO audit_checkpoints (sequence, hash, signature, at) VALUES (:s, :h, :sig, :at)")
          .bind("s", sequence).bind("h", hash)
          .bind("sig", Base64.getEncoder().encodeToString(signer.apply(message(sequence, hash))))
          .bind("at", clock.millis()).execute();
    }
  }

  /**
   * Checks every checkpoint's signature and that the chain still has the signed hash at the
   * signed sequence; the entry where an archive ends, no longer stored, must have a checkpoint
   * with the archive's hash. Returns the first problem, or empty when all hold.
   */
  public Optional<String> verify() {
    List<Checkpoint> all = jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_checkpoints ORDER BY sequence")
        .map((rs, ctx) -> new Checkpoint(rs.getLong("sequence"), rs.getString("hash"), rs.getString("signature"))).list());
    AuditEntry.Head archived = log.archived();
    if (archived.sequence() > 0 && all.stream().noneMatch(c -> c.sequence() == archived.sequence())) {
      return Optional.of("the archive that ends at entry " + archived.sequence() + " has no checkpoint of this controller");
    }
    for (Checkpoint c : all) {
      if (!signatureHolds(c)) {
        return Optional.of("checkpoint at entry " + c.sequence() + " is not signed by this controller");
      }
      if (c.sequence() <= archived.sequence()) {
        if (c.sequence() == archived.sequence() && !c.hash().equals(archived.hash())) {
          return Optional.of("the archive that ends at entry " + c.sequence() + " differs from the signed checkpoint");
        }
        continue;
      }
      List<AuditEntry> at = log.list(c.sequence() - 1, 1);
      if (at.isEmpty() || at.get(0).sequence() != c.sequence() || !at.get(0).hash().equals(c.hash())) {
        return Optional.of("entry " + c.sequence() + " differs from the signed checkpoint (the chain was rewritten)");
      }
    }
    return Optional.empty();
  }

  private boolean signatureHolds(Checkpoint c) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(publicKey);
      s.update(message(c.sequence(), c.hash()));
      return s.verify(Base64.getDecoder().decode(c.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] message(long sequence, String hash) {
    return (CONTEXT + sequence + "\n" + hash).getBytes(StandardCharsets.UTF_8);
  }
}
