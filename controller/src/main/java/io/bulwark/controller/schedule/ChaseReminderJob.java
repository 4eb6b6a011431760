package io.bulwark.controller.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.controller.report.ChaseList;
import io.bulwark.controller.report.ChaseSla;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the chase list as JSON to the configured webhook when some device lags. A failed post
 * is logged and tried again at the next run; the list is recomputed each time.
 */
@DisallowConcurrentExecution
public final class ChaseReminderJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(ChaseReminderJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ChaseList chase;
  private final URI webhook;
  private final ChaseSla sla;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
      .proxy(HttpClient.Builder.NO_PROXY).build();

  public ChaseReminderJob(ChaseList chase, URI webhook, ChaseSla sla) {
    this.chase = chase;
    this.webhook = webhook;
    this.sla = sla;
  }

  @Override
  public void execute(JobExecutionContext context) {
    remind();
  }

  /** Runs once; returns the HTTP status posted, or 0 when nobody lags or the post failed. */
  public int remind() {
    List<ChaseList.Lagging> lagging = chase.lagging(sla);
    if (lagging.isEmpty()) {
      return 0;
    }
    List<Map<String, Object>> devices = new ArrayList<>();
    for (ChaseList.Lagging l : lagging) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("device", l.device());
      d.put("countermeasure", l.countermeasureId());
      d.put("owner", l.owner());
      d.put("severity", l.severity().label());
      d.put("state", l.state());
      d.put("lagging_seconds", l.laggingFor().toSeconds());
      d.put("deadline_seconds", l.deadline().toSeconds());
      d.put("error", l.error());
      devices.add(d);
    }
    try {
      Map<String, Object> deadlines = new LinkedHashMap<>();
      sla.deadlines().forEach((severity, deadline) -> deadlines.put(severity.label(), deadline.toSeconds()));
      String body = JSON.writeValueAsString(Map.of("kind", "bulwark.chase", "sla_seconds", deadlines,
          "devices", devices));
      HttpResponse<Void> r = http.send(HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(20))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 != 2) {
        log.warn("chase webhook answered {}; will try again at the next run", r.statusCode());
      } else {
        log.info("chase reminder sent: {} devices lag", lagging.size());
      }
      return r.statusCode();
    } catch (IOException e) {
      log.warn("chase webhook failed: {}; will try again at the next run", e.toString());
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
