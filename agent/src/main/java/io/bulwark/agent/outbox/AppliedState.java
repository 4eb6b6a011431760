package io.bulwark.agent.outbox;

import java.util.Objects;

/**
 * The rule set last applied and verified on this host, as the agent reports it in its {@code
 * Hello}.
 *
 * @param generation 0 when nothing was ever applied
 * @param digest lowercase hex SHA-256 of the rules; empty when nothing was applied
 */
public record AppliedState(long generation, String digest) {

  /** Nothing applied yet. */
  public static final AppliedState NONE = new AppliedState(0, "");

  public AppliedState {
    Objects.requireNonNull(digest, "digest");
  }
}
