package io.bulwark.agent.link;

import io.grpc.Status;

/**
 * A gRPC status as one line for an operator: code, description and the root cause's message (for
 * example "UNAVAILABLE: io exception (Connection refused: /127.0.0.1:7443)"), never a stack trace.
 */
final class StatusText {

  private StatusText() {}

  static String describe(Status status) {
    StringBuilder text = new StringBuilder(status.getCode().toString());
    String description = status.getDescription();
    if (description != null) {
      text.append(": ").append(description);
    }
    String cause = rootMessage(status.getCause());
    if (cause != null && (description == null || !description.contains(cause))) {
      text.append(" (").append(cause).append(')');
    }
    return text.toString();
  }

  /** The description alone when there is one, else {@link #describe}. */
  static String reason(Status status) {
    String cause = rootMessage(status.getCause());
    if (status.getDescription() == null) {
      return describe(status);
    }
    return cause == null || status.getDescription().contains(cause)
        ? status.getDescription()
        : status.getDescription() + " (" + cause + ")";
  }

  private static String rootMessage(Throwable throwable) {
    Throwable root = throwable;
    while (root != null && root.getCause() != null) {
      root = root.getCause();
    }
    return root == null ? null : root.getMessage();
  }
}
