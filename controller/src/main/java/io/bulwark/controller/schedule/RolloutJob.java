package io.bulwark.controller.schedule;

import io.bulwark.controller.approve.Rollouts;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moves staged rollouts on: promotes countermeasures whose canary devices all applied them. */
@DisallowConcurrentExecution
public final class RolloutJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(RolloutJob.class);
  private final Rollouts rollouts;

  public RolloutJob(Rollouts rollouts) {
    this.rollouts = rollouts;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      var pass = rollouts.advance();
      pass.promoted().forEach(id -> log.info("countermeasure {} passed its canary and goes to its whole scope", id));
      pass.halted().forEach(id -> log.warn("countermeasure {} halted: a canary device failed to apply it", id));
    } catch (RuntimeException e) {
      log.warn("rollout pass failed: {}", e.toString());
    }
  }
}
