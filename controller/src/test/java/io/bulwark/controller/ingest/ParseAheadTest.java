package io.bulwark.controller.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.rules.stix.StixBundleReader;
import io.bulwark.rules.stix.StixFormatException;
import io.bulwark.rules.stix.StixObjectResult;
import io.bulwark.rules.testing.StixFixtures;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ParseAheadTest {
  private final StixBundleReader reader = new StixBundleReader();

  @Test
  void manyChunksOfResults_arriveInBundleOrder_onTheDrainingThread() {
    int count = ParseAhead.CHUNK_OBJECTS * (ParseAhead.CHUNKS_AHEAD + 3) + 5;
    List<String> objects = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      objects.add(StixFixtures.indicator(n, "[ipv4-addr:value = '10.0." + (n >> 8) + "." + (n & 0xff) + "']"));
    }
    List<String> ids = new ArrayList<>();
    Thread drainer = Thread.currentThread();
    List<Thread> seenOn = new ArrayList<>();

    ParseAhead.start(reader, StixFixtures.stream(StixFixtures.bundleOfJson(objects))).drainTo(r -> {
      ids.add(((StixObjectResult.Accepted) r).object().id());
      if (seenOn.isEmpty() || seenOn.get(0) != Thread.currentThread()) {
        seenOn.add(Thread.currentThread());
      }
    });

    assertEquals(count, ids.size());
    for (int n = 0; n < count; n++) {
      assertEquals(StixFixtures.indicatorId(n), ids.get(n));
    }
    assertEquals(List.of(drainer), seenOn);
  }

  @Test
  void bundleBrokenAfterItsObjects_deliversThemFirst_thenThrowsWhatTheReaderThrew() {
    List<String> objects = new ArrayList<>();
    for (int n = 0; n < ParseAhead.CHUNK_OBJECTS + 3; n++) {
      objects.add(StixFixtures.indicator(n, "[ipv4-addr:value = '10.0.0." + (n & 0xff) + "']"));
    }
    String bundle = "{\"objects\": [" + String.join(",", objects) + "], \"type\": \"bundle\", \"id\": \"bundle--x\"}";
    List<StixObjectResult> seen = new ArrayList<>();

    var e = assertThrows(StixFormatException.class,
        () -> ParseAhead.start(reader, StixFixtures.stream(bundle)).drainTo(seen::add));

    assertTrue(e.getMessage().contains("bundle--x"), e.getMessage());
    assertEquals(objects.size(), seen.size());
  }

  @Test
  void sinkThatThrows_stopsTheReader_andItsExceptionPropagates() throws Exception {
    EndlessBundle endless = new EndlessBundle();
    IllegalStateException boom = new IllegalStateException("store failed");
    int[] calls = {0};

    var e = assertThrows(IllegalStateException.class, () -> ParseAhead.start(reader, endless).drainTo(r -> {
      if (++calls[0] == 10) {
        throw boom;
      }
    }));

    assertSame(boom, e);
    Thread.sleep(500);
    long after = endless.read.get();
    Thread.sleep(500);
    assertEquals(after, endless.read.get(), "the reader kept reading after the sink failed");
  }

  /** A bundle whose objects never end, counting the bytes read from it. */
  private static final class EndlessBundle extends InputStream {
    final AtomicLong read = new AtomicLong();
    private byte[] current = "{\"type\":\"bundle\",\"id\":\"bundle--44af6c39-c09b-49c5-9de2-394224b04982\",\"objects\":["
        .getBytes(StandardCharsets.UTF_8);
    private int pos;
    private int n;

    @Override
    public int read() {
      if (pos == current.length) {
        current = ((n == 0 ? "" : ",") + StixFixtures.indicator(n, "[ipv4-addr:value = '10.1.0." + (n & 0xff) + "']"))
            .getBytes(StandardCharsets.UTF_8);
        n++;
        pos = 0;
      }
      read.incrementAndGet();
      return current[pos++] & 0xff;
    }
  }
}
