package io.bulwark.agent.testing;

import io.bulwark.agent.bundle.BundleProcessor;
import io.bulwark.agent.bundle.CommitConfirm;
import java.util.function.Supplier;

/** Answers every confirm request at once, as a reachable controller does. */
public final class ConfirmAtOnce implements CommitConfirm.Requests {

  private final Supplier<BundleProcessor> processor;

  /** @param processor the processor to answer, asked at each request */
  public ConfirmAtOnce(Supplier<BundleProcessor> processor) {
    this.processor = processor;
  }

  @Override
  public void request(long generation, byte[] nonce) {
    processor.get().confirmed(generation, nonce);
  }

  @Override
  public void cancel() {}
}
