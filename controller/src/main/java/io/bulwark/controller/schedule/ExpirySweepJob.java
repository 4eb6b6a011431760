package io.bulwark.controller.schedule;

import io.bulwark.controller.deliver.DesiredStates;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-evaluates every device's desired state, so that expired countermeasures, exceptions and
 * indicators leave the devices (and scheduled countermeasures reach them) at the next
 * generation, and records those changes of the clock in the audit log.
 */
@DisallowConcurrentExecution
public final class ExpirySweepJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(ExpirySweepJob.class);
  private final DesiredStates desiredStates;
  private final io.bulwark.controller.audit.LifecycleAudit lifecycle;

  public ExpirySweepJob(DesiredStates desiredStates, io.bulwark.controller.audit.LifecycleAudit lifecycle) {
    this.desiredStates = desiredStates;
    this.lifecycle = lifecycle;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      var changed = desiredStates.recomputeAll();
      if (!changed.isEmpty()) {
        log.info("expiry sweep: {} devices get a new generation", changed.size());
      }
      lifecycle.record();
    } catch (RuntimeException e) {
      log.warn("expiry sweep failed: {}", e.toString());
    }
  }
}
