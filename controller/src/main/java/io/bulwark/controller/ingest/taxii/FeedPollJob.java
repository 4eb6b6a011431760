package io.bulwark.controller.ingest.taxii;

import java.time.Clock;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls, at each run, every feed with an interval whose last poll is at least that interval ago
 * (or that was never polled). Runs on Quartz through the controller's scheduler; one failing
 * feed does not keep the others from being polled.
 */
@DisallowConcurrentExecution
public final class FeedPollJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(FeedPollJob.class);
  private final FeedStore feeds;
  private final FeedPoller poller;
  private final Clock clock;

  public FeedPollJob(FeedStore feeds, FeedPoller poller, Clock clock) {
    this.feeds = feeds;
    this.poller = poller;
    this.clock = clock;
  }

  @Override
  public void execute(JobExecutionContext context) {
    runDue();
  }

  /** Polls the feeds that are due; returns how many were polled. */
  public int runDue() {
    int polled = 0;
    for (Feed f : feeds.list()) {
      if (f.interval().isZero()) {
        continue;
      }
      boolean due = f.lastPolledAt().map(at -> !at.plus(f.interval()).isAfter(clock.instant())).orElse(true);
      if (!due) {
        continue;
      }
      try {
        var outcome = poller.poll(f.name(), "scheduler");
        log.info("feed {}: {}", f.name(), FeedPoller.describe(outcome));
        polled++;
      } catch (RuntimeException e) {
        log.warn("feed {}: poll failed: {}", f.name(), e.getMessage());
      }
    }
    return polled;
  }
}
