package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.deliver.AgentSessions;
import io.bulwark.controller.deliver.RuleDeltas;
import io.bulwark.controller.deliver.StatusWriter;
import io.bulwark.controller.pki.BundleSigner;
import io.bulwark.controller.store.Database;
import io.bulwark.controller.store.JdbcDeviceStore;
import io.bulwark.controller.testing.MutableClock;
import io.bulwark.controller.testing.TestDatabases;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.rules.Digests;
import io.grpc.stub.ClientCallStreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rule sets small enough for one message count against the transfer budget too: with room for one
 * transfer, a second agent's rule set waits until the first agent's has left the buffers (its
 * stream is ready again), so a rule set approved for a whole fleet is never serialized for every
 * agent at once. A delta that cannot be made (the store unreachable) gives way to the full rules.
 */
class AgentStreamBudgetTest {
  private final MutableClock clock = MutableClock.at("2026-12-06T10:00:00Z");
  private final AgentSessions sessions = new AgentSessions();
  private Database db;
  private StatusWriter writer;
  private AsDevice.Served first;
  private AsDevice.Served second;
  private TransferBudget budget;
  private JdbcDeviceStore devices;

  @BeforeEach
  void start() throws Exception {
    db = TestDatabases.freshH2();
    devices = new JdbcDeviceStore(db.jdbi());
    for (String device : List.of("host-a", "host-b")) {
      devices.upsertEnrolled(device, "nftables", List.of(), clock.instant());
      String rules = "10.9.0.1,\n" + device + ",\n";
      devices.advanceDesired(device, "nftables", rules, Digests.sha256Hex(rules), List.of()).orElseThrow();
    }
    writer = new StatusWriter(devices).start();
    budget = new TransferBudget(1, ForkJoinPool.commonPool());
    var service = new AgentGrpcService(devices, sessions, new SignedBundles(BundleSigner.create(), clock),
        // A store of their own for the deltas: no rule set remembered, so a delta reads the database.
        (csr, device) -> List.of(), clock, writer, new RuleDeltas(new JdbcDeviceStore(db.jdbi())), budget);
    first = new AsDevice("host-a").serve(service);
    second = new AsDevice("host-b").serve(service);
  }

  @AfterEach
  void stop() {
    first.close();
    second.close();
    writer.close();
    db.close();
  }

  @Test
  void aSecondAgentsRuleSet_waitsUntilTheFirstAgentsHasLeft() throws Exception {
    var a = new Agent(first);
    a.reads(1);
    assertNotNull(a.next(), "host-a gets its rule set; its stream is not ready again until it reads on");

    var b = new Agent(second);
    b.reads(10);
    assertNull(b.received.poll(300, TimeUnit.MILLISECONDS), "host-b waits: the budget is taken by host-a's");

    a.reads(1);
    ControllerMessage state = b.next();
    assertNotNull(state, "host-b gets its rule set once host-a's has left");
    assertEquals("10.9.0.1,\nhost-b,\n", state.getDesiredState().getRules());
    for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); budget.used() > 0; Thread.sleep(10)) {
      assertTrue(System.nanoTime() < end, "both streams are ready again, yet " + budget.used() + " bytes are held");
    }
  }

  @Test
  void aDeltaThatCannotBeMade_givesWayToTheFullRules() throws Exception {
    var a = new Agent(first);
    a.reads(10);
    var applied = a.next().getDesiredState();
    a.requests.onNext(AgentMessage.newBuilder().setStatus(io.bulwark.proto.agent.v1.ApplyStatus.newBuilder()
        .setSequence(1).setGeneration(applied.getGeneration()).setDigest(applied.getDigest())
        .setState(io.bulwark.proto.agent.v1.ApplyState.APPLY_STATE_APPLIED).setAtMillis(1)).build());
    assertEquals(1L, a.acks.poll(5, TimeUnit.SECONDS));
    String rules = "10.9.0.1,\nhost-a,\n10.9.0.3,\n";
    var next = devices.advanceDesired("host-a", "nftables", rules, Digests.sha256Hex(rules), List.of()).orElseThrow();

    db.close(); // the delta from what host-a applied needs its rules from the database
    sessions.push(next);

    var state = a.next();
    assertNotNull(state, "the new generation still goes out");
    assertEquals(next.generation(), state.getDesiredState().getGeneration());
    assertEquals(rules, state.getDesiredState().getRules(), "in full");
    assertNull(a.errors.poll(200, TimeUnit.MILLISECONDS), "the stream goes on");
  }

  /** One agent's stream, reading only as many messages as it asks for. */
  private static final class Agent {
    final BlockingQueue<ControllerMessage> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> acks = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    private final ClientCallStreamObserver<AgentMessage> requests;

    Agent(AsDevice.Served to) {
      requests = ReadingAgent.connect(to.channel(), received, acks, errors);
    }

    void reads(int messages) {
      requests.request(messages);
    }

    /** The next message as an agent reads it off the wire, or null after 5 s. */
    ControllerMessage next() throws Exception {
      ControllerMessage m = received.poll(5, TimeUnit.SECONDS);
      return m == null ? null : ControllerMessage.parseFrom(m.toByteString());
    }
  }
}
