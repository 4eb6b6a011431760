package io.bulwark.agent.apply;

import io.bulwark.agent.AgentException;

/** nftables text the agent cannot read; the message names the line. */
final class NftTextException extends AgentException {

  NftTextException(String message) {
    super(message);
  }
}
