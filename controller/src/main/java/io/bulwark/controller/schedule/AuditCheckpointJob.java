package io.bulwark.controller.schedule;

import io.bulwark.controller.audit.AuditCheckpoints;
import io.bulwark.controller.audit.AuditVerifier;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the audit chain's head now and then, after checking the chain: a broken chain is never
 * signed, it is reported for an operator to act on.
 */
@DisallowConcurrentExecution
public final class AuditCheckpointJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(AuditCheckpointJob.class);
  private final AuditCheckpoints checkpoints;
  private final AuditVerifier verifier;

  public AuditCheckpointJob(AuditCheckpoints checkpoints, AuditVerifier verifier) {
    this.checkpoints = checkpoints;
    this.verifier = verifier;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      AuditVerifier.Result r = verifier.verify();
      var problem = r.intact() ? checkpoints.verify() : java.util.Optional.of(r.problem());
      if (problem.isPresent()) {
        log.error("audit log check failed, not signing: {}", problem.get());
        return;
      }
      checkpoints.checkpoint(r.lastChecked());
    } catch (RuntimeException e) {
      log.warn("audit checkpoint failed: {}", e.toString());
    }
  }
}
