package io.bulwark.controller.schedule;

import io.bulwark.controller.ssh.SshDelivery;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the SSH pushes and read-backs that are due; the work runs on the delivery's own pool. */
@DisallowConcurrentExecution
public final class SshPushJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(SshPushJob.class);
  private final SshDelivery delivery;

  public SshPushJob(SshDelivery delivery) {
    this.delivery = delivery;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      delivery.runOnce();
    } catch (RuntimeException e) {
      log.warn("SSH delivery pass failed: {}", e.toString());
    }
  }
}
