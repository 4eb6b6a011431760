package io.bulwark.agent.bundle;

/**
 * Where a {@link BundleProcessor} sends its reports, normally the stream the bundle came on. Called
 * from the apply thread; must not block, and must drop reports quietly once the stream is gone (the
 * next {@code Hello} reports the applied state anyway).
 */
@FunctionalInterface
public interface StatusSink {

  void report(ApplyReport report);
}
