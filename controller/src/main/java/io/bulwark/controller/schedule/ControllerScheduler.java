package io.bulwark.controller.schedule;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;

/**
 * The controller's scheduled jobs on Quartz. Jobs are built by the composition root and handed
 * over as instances (no reflection, no container); each runs at a fixed interval and never
 * overlaps itself.
 */
public final class ControllerScheduler {
  private final Map<Class<? extends Job>, Job> jobs = new LinkedHashMap<>();
  private final Map<Class<? extends Job>, Duration> intervals = new LinkedHashMap<>();
  private Scheduler scheduler;

  /** Adds a job to run every {@code interval}, the first time one interval after start. */
  public ControllerScheduler every(Duration interval, Job job) {
    jobs.put(job.getClass(), job);
    intervals.put(job.getClass(), interval);
    return this;
  }

  public void start() {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "bulwark");
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    try {
      scheduler = new StdSchedulerFactory(p).getScheduler();
      JobFactory factory = (bundle, s) -> jobs.get(bundle.getJobDetail().getJobClass());
      scheduler.setJobFactory(factory);
      for (var e : intervals.entrySet()) {
        var detail = JobBuilder.newJob(e.getKey()).withIdentity(e.getKey().getSimpleName()).build();
        long millis = e.getValue().toMillis();
        var trigger = TriggerBuilder.newTrigger()
            .startAt(org.quartz.DateBuilder.futureDate((int) Math.min(millis, Integer.MAX_VALUE),
                org.quartz.DateBuilder.IntervalUnit.MILLISECOND))
            .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(millis).repeatForever()
                .withMisfireHandlingInstructionNextWithRemainingCount())
            .build();
        scheduler.scheduleJob(detail, trigger);
      }
      scheduler.start();
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
    }
  }

  public void stop() {
    if (scheduler != null) {
      try {
        scheduler.shutdown(true);
      } catch (SchedulerException e) {
        // Shutting down: nothing more to do.
      }
      scheduler = null;
    }
  }
}
