package io.bulwark.controller.schedule;

import io.bulwark.controller.domain.DeviceStore;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps each device's history of generations to its recent ones: see {@link DeviceStore#pruneHistory}. */
@DisallowConcurrentExecution
public final class HistoryPruneJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(HistoryPruneJob.class);
  private final DeviceStore devices;
  private final int keep;

  public HistoryPruneJob(DeviceStore devices, int keep) {
    this.devices = devices;
    this.keep = keep;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      long started = System.nanoTime();
      DeviceStore.Pruned pruned = devices.pruneHistory(keep);
      if (pruned.devices() > 0) {
        log.info("history pruned in {} ms: {} devices kept {} generations each below their current ones; forgot {} desired"
                + " generations, {} applications, {} rule sets, {} countermeasure sets", (System.nanoTime() - started) / 1_000_000,
            pruned.devices(), keep, pruned.generations(), pruned.applications(), pruned.ruleSets(), pruned.countermeasureSets());
      }
    } catch (RuntimeException e) {
      log.warn("pruning the history of generations failed, tried again in an hour: {}", e.toString());
    }
  }
}
