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
  /** Another context than a checkpoint's: no checkpoint can pass for an archive. */
  private static final String ARCHIVE_CONTEXT = "bulwark-audit-archive\n";
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
    return checkpoint(log.head());
  }

  /**
   * Signs {@code head}, the last entry a check found intact (later ones it did not check), unless
   * it is already signed; returns the new checkpoint, if any.
   */
  public Optional<Checkpoint> checkpoint(AuditEntry.Head head) {
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

  /** An archive as recorded: entries {@code first} to {@code through}, the last with {@code hash}. */
  public record Archive(long first, long through, String hash, String fileSha256, String signature) {}

  /** The signature of {@code archive}'s other fields, made when it is recorded. */
  String sign(Archive archive) {
    return Base64.getEncoder().encodeToString(signer.apply(archiveMessage(archive)));
  }

  /** Every archive recorded, oldest first. */
  public List<Archive> archives() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_archives ORDER BY through_sequence")
        .map((rs, ctx) -> new Archive(rs.getLong("first_sequence"), rs.getLong("through_sequence"), rs.getString("hash"),
            rs.getString("file_sha256"), rs.getString("signature"))).list());
  }

  /**
   * Checks every checkpoint's signature and that the chain still has the signed hash at the
   * signed sequence, and every archive's signature and that the archives follow one another from
   * entry 1 (the chain left starts after the last). Returns the first problem, or empty when all
   * hold.
   */
  public Optional<String> verify() {
    // An archive recorded meanwhile removes checkpoints and entries this check read: it starts again.
    for (int attempt = 1; ; attempt++) {
      List<Archive> archives = archives();
      Optional<String> problem = verifyOnce();
      if (problem.isEmpty() || attempt == 3 || archives().equals(archives)) {
        return problem;
      }
    }
  }

  private Optional<String> verifyOnce() {
    List<Checkpoint> all = jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_checkpoints ORDER BY sequence")
        .map((rs, ctx) -> new Checkpoint(rs.getLong("sequence"), rs.getString("hash"), rs.getString("signature"))).list());
    // Read after the checkpoints: those an archive recorded meanwhile has removed are below it.
    long archived = 0;
    for (Archive a : archives()) {
      if (a.first() != archived + 1) {
        return Optional.of("the archive of entries " + a.first() + " to " + a.through() + " does not follow the one"
            + " before it, which ends at entry " + archived);
      }
      if (!signatureHolds(archiveMessage(a), a.signature())) {
        return Optional.of("the archive of entries " + a.first() + " to " + a.through()
            + " is not signed by this controller");
      }
      archived = a.through();
    }
    for (Checkpoint c : all) {
      if (c.sequence() <= archived) {
        continue;
      }
      if (!signatureHolds(message(c.sequence(), c.hash()), c.signature())) {
        return Optional.of("checkpoint at entry " + c.sequence() + " is not signed by this controller");
      }
      List<AuditEntry> at = log.list(c.sequence() - 1, 1);
      if (at.isEmpty() || at.get(0).sequence() != c.sequence() || !at.get(0).hash().equals(c.hash())) {
        return Optional.of("entry " + c.sequence() + " differs from the signed checkpoint (the chain was rewritten)");
      }
    }
    return Optional.empty();
  }

  private boolean signatureHolds(byte[] message, String signature) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(publicKey);
      s.update(message);
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] archiveMessage(Archive a) {
    return (ARCHIVE_CONTEXT + a.first() + "\n" + a.through() + "\n" + a.hash() + "\n" + a.fileSha256())
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] message(long sequence, String hash) {
    return (CONTEXT + sequence + "\n" + hash).getBytes(StandardCharsets.UTF_8);
  }
}
