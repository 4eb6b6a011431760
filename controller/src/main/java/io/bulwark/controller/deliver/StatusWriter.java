package io.bulwark.controller.deliver;

import io.bulwark.controller.domain.DeviceStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what agent streams report in batches, off the gRPC threads: one writer thread takes
 * everything queued (up to {@link #MAX_BATCH} events), stores it in one transaction, and only then
 * tells each {@link Acknowledger} (one per stream) the highest sequence stored for it, so that an
 * acknowledged report is always stored. When the
 * store fails, the batch is kept and tried again; its reports stay unacknowledged meanwhile, and
 * agents keep them in their outboxes. A full queue makes {@link #submit} wait: backpressure on the
 * streams rather than unbounded memory. Thread-safe.
 */
public final class StatusWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  static final int MAX_BATCH = 5000;
  private static final int QUEUE = 100_000;

  /** One stream event and whom to tell once it is stored (may be null). */
  private record Item(DeviceStore.Reported event, Acknowledger stored) {}

  /**
   * Told once its events are stored, with the highest of their sequences stored in the same
   * transaction: once per transaction, so that one device's reports stored together cost one
   * acknowledgement (acknowledgements are cumulative: everything up to that sequence is stored).
   */
  @FunctionalInterface
  public interface Acknowledger {
    void storedUpTo(long sequence);
  }

  private final DeviceStore store;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread writer;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private volatile boolean stopping;

  public StatusWriter(DeviceStore store) {
    this.store = store;
    this.writer = new Thread(this::run, "bulwark-status-writer");
    writer.setDaemon(true);
  }

  public StatusWriter start() {
    writer.start();
    return this;
  }

  /** Queues an event; waits while the queue is full. */
  public void submit(DeviceStore.Reported event, Acknowledger stored) {
    if (stopping) {
      throw new IllegalStateException("the status writer is stopped");
    }
    try {
      queue.put(new Item(event, stored));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a status report", e);
    }
  }

  /** Queues an event without waiting; false when the queue is full or the writer stopped. */
  public boolean offer(DeviceStore.Reported event) {
    return !stopping && queue.offer(new Item(event, null));
  }

  /** Events stored so far, and in how many transactions. */
  public long written() {
    return written.get();
  }

  public long batches() {
    return batches.get();
  }

  private void run() {
    List<Item> batch = new ArrayList<>();
    long retryMillis = 100;
    while (!stopping || !queue.isEmpty() || !batch.isEmpty()) {
      try {
        if (batch.isEmpty()) {
          Item first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
        }
        store.recordReports(batch.stream().map(Item::event).toList());
        written.addAndGet(batch.size());
        batches.incrementAndGet();
        acknowledge(batch);
        batch.clear();
        retryMillis = 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("cannot store {} status events, retrying in {} ms: {}", batch.size(), retryMillis, e.toString());
        if (stopping) {
          log.error("stopping: {} status events stay unacknowledged; agents resend them", batch.size());
          return;
        }
        try {
          Thread.sleep(retryMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
        retryMillis = Math.min(5000, retryMillis * 2);
      }
    }
  }

  /** Tells each acknowledger of a stored batch the highest sequence stored for it, once. */
  private static void acknowledge(List<Item> batch) {
    Map<Acknowledger, Long> highest = new LinkedHashMap<>();
    for (Item item : batch) {
      if (item.stored() != null) {
        highest.merge(item.stored(), item.event().sequence(), Math::max);
      }
    }
    highest.forEach((acknowledger, sequence) -> {
      try {
        acknowledger.storedUpTo(sequence);
      } catch (RuntimeException e) {
        log.debug("acknowledgement after storing failed: {}", e.toString());
      }
    });
  }

  /** Stores what is queued, then stops. */
  @Override
  public void close() {
    stopping = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
