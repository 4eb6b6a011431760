package io.bulwark.controller.ingest;

import io.bulwark.rules.stix.StixBundleReader;
import io.bulwark.rules.stix.StixObjectResult;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads a bundle on a thread of its own, ahead of the thread that stores what was read, so that
 * parsing and validating the next objects overlap with the database's work on the previous ones.
 *
 * <p>Results reach {@link #drainTo} in bundle order, in chunks; at most {@link #CHUNKS_AHEAD}
 * chunks wait, each closed at {@link #CHUNK_OBJECTS} objects or {@link #CHUNK_CHARS} characters of
 * JSON, so memory stays bounded by a few times the largest object, whatever the bundle's size.
 * What the reader throws is rethrown by {@link #drainTo} on the draining thread, after every result
 * read before it. One instance serves one bundle.
 *
 * <p>When the sink throws, the reading thread is told to stop and is interrupted; it may still read
 * from the stream until it next hands a chunk over, and then ends without touching the stream again.
 */
final class ParseAhead {
  static final int CHUNK_OBJECTS = 256;
  static final int CHUNK_CHARS = 512 * 1024;
  static final int CHUNKS_AHEAD = 4;
  /** Marks the end of the results; compared by identity, so it must be an instance of its own. */
  private static final List<StixObjectResult> END = java.util.Collections.unmodifiableList(new ArrayList<>(0));

  private final BlockingQueue<List<StixObjectResult>> queue = new ArrayBlockingQueue<>(CHUNKS_AHEAD);
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Throwable failure;

  private ParseAhead(StixBundleReader reader, InputStream bundle) {
    thread = new Thread(() -> read(reader, bundle), "bulwark-ingest-reader");
    thread.setDaemon(true);
  }

  /** Starts reading {@code bundle} (not closed) with {@code reader}. */
  static ParseAhead start(StixBundleReader reader, InputStream bundle) {
    ParseAhead ahead = new ParseAhead(reader, bundle);
    ahead.thread.start();
    return ahead;
  }

  /**
   * Passes every result to {@code sink} in order on the calling thread, then rethrows what the
   * reader threw, if anything. When {@code sink} throws, reading stops and the exception propagates.
   */
  void drainTo(Consumer<StixObjectResult> sink) {
    try {
      for (List<StixObjectResult> chunk = queue.take(); chunk != END; chunk = queue.take()) {
        chunk.forEach(sink);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the bundle's next objects", e);
    } finally {
      stopped = true;
      thread.interrupt();
    }
    Throwable t = failure;
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }

  private void read(StixBundleReader reader, InputStream bundle) {
    List<StixObjectResult> chunk = new ArrayList<>(CHUNK_OBJECTS);
    int[] chars = {0};
    try {
      reader.read(bundle, result -> {
        chunk.add(result);
        if (result instanceof StixObjectResult.Accepted a) {
          chars[0] += a.object().json().length();
        }
        if (chunk.size() >= CHUNK_OBJECTS || chars[0] >= CHUNK_CHARS) {
          hand(List.copyOf(chunk));
          chunk.clear();
          chars[0] = 0;
        }
      });
      hand(List.copyOf(chunk));
    } catch (Stopped e) {
      return;
    } catch (RuntimeException | Error e) {
      if (stopped) {
        return;
      }
      try {
        hand(List.copyOf(chunk));
      } catch (Stopped ignored) {
        return;
      }
      failure = e;
    }
    try {
      hand(END);
    } catch (Stopped ignored) {
      // The draining thread gave up: nobody waits for the end.
    }
  }

  /** Queues one chunk, waiting for room; gives up when the draining thread has stopped. */
  private void hand(List<StixObjectResult> chunk) {
    if (chunk.isEmpty() && chunk != END) {
      return;
    }
    try {
      while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
        if (stopped) {
          throw new Stopped();
        }
      }
    } catch (InterruptedException e) {
      throw new Stopped();
    }
  }

  /** Unwinds the reader when nobody drains any more. */
  private static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super(null, null, false, false);
    }
  }
}
