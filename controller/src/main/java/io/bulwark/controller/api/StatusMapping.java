package io.bulwark.controller.api;

import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.domain.InvalidRequestException;
import io.bulwark.controller.domain.InvalidTokenException;
import io.bulwark.controller.domain.PermissionDeniedException;
import io.bulwark.controller.domain.UnknownDeviceException;
import io.bulwark.controller.domain.UnknownIndicatorException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where exceptions become gRPC statuses. Our own exceptions keep their message;
 * anything else is logged here and reaches the caller as a bare INTERNAL, with no stack trace
 * or detail on the wire.
 */
public final class StatusMapping {
  private static final Logger log = LoggerFactory.getLogger(StatusMapping.class);

  private StatusMapping() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof InvalidTokenException) {
      return Status.PERMISSION_DENIED.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof PermissionDeniedException) {
      return Status.PERMISSION_DENIED.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof UnknownDeviceException || t instanceof UnknownIndicatorException) {
      return Status.NOT_FOUND.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof InvalidRequestException) {
      return Status.INVALID_ARGUMENT.withDescription(t.getMessage()).asRuntimeException();
    }
    if (t instanceof BulwarkException) {
      return Status.FAILED_PRECONDITION.withDescription(t.getMessage()).asRuntimeException();
    }
    log.error("internal error", t);
    return Status.INTERNAL.withDescription("internal error; see the controller log").asRuntimeException();
  }

  /** Runs a unary call body and completes the observer with its value or mapped status. */
  public static <T> void unary(StreamObserver<T> observer, Supplier<T> body) {
    T value;
    try {
      value = body.get();
    } catch (RuntimeException e) {
      observer.onError(toStatus(e));
      return;
    }
    observer.onNext(value);
    observer.onCompleted();
  }
}
