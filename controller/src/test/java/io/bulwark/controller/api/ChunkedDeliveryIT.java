package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.agent.Agent;
import io.bulwark.agent.config.AgentConfig;
import io.bulwark.agent.config.HostPort;
import io.bulwark.agent.fleet.MemoryApplier;
import io.bulwark.agent.host.DataDir;
import io.bulwark.agent.link.AgentIdentity;
import io.bulwark.agent.link.Enroller;
import io.bulwark.agent.link.TlsChannelFactory;
import io.bulwark.chunk.RuleChunks;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.cli.AdminClient;
import io.bulwark.proto.admin.v1.CreateEnrollmentTokenRequest;
import io.bulwark.proto.admin.v1.ListDeviceStatusRequest;
import io.bulwark.proto.agent.v1.AgentMessage;
import io.bulwark.proto.agent.v1.AgentServiceGrpc;
import io.bulwark.proto.agent.v1.ApplyState;
import io.bulwark.proto.agent.v1.ApplyStatus;
import io.bulwark.proto.agent.v1.ControllerMessage;
import io.bulwark.proto.agent.v1.Hello;
import io.bulwark.rules.spi.GenerationResult;
import io.bulwark.rules.spi.GeneratorRegistry;
import io.bulwark.rules.spi.RuleGenerator;
import io.bulwark.rules.spi.RuleInput;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule sets several chunks large, from the real controller to the real agent over mutual TLS on
 * loopback: delivered in chunks no larger than the agent accepts, joined, and applied with the
 * signed digest; a refused chunked transfer is sent once more.
 */
class ChunkedDeliveryIT {
  private static final int ELEMENTS = 200_000;

  @TempDir Path work;
  private final Clock clock = Clock.systemUTC();
  private final String rules = BigSetGenerator.rules(ELEMENTS);
  private ControllerMain controller;
  private AdminClient admin;
  private HostPort address;

  @BeforeEach
  void start() {
    Path dataDir = work.resolve("controller");
    controller = new ControllerMain(new ControllerConfig(dataDir, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1)), clock,
        new GeneratorRegistry(List.of(new BigSetGenerator(rules)))).start();
    admin = AdminClient.open(dataDir);
    address = new HostPort("127.0.0.1", controller.agentAddress().getPort());
  }

  @AfterEach
  void stop() {
    admin.close();
    controller.close();
  }

  @Test
  void ruleSetOfManyChunks_reachesTheAgent_whichAppliesItsExactDigest() throws Exception {
    assertTrue(rules.length() > 3 * RuleChunks.DEFAULT_CHUNK_BYTES, "at least three chunks: " + rules.length());
    Path agentDir = work.resolve("agent");
    MemoryApplier applier = new MemoryApplier();
    Agent agent = new Agent(new AgentConfig(address, agentDir, tokenFile("big-01"), applier, clock));
    try {
      agent.start();
      assertTrue(agent.awaitApplied(1, Duration.ofSeconds(60)), "generation 1 not applied");
      assertEquals(sha256(rules), agent.appliedState().digest());
      assertEquals(rules, applier.live());
      assertEquals("compliant", awaitCompliant());
    } finally {
      agent.stop();
    }
  }

  @Test
  void refusedChunkedTransfer_isSentOnceMore_inMessagesWithinTheAgentLimit() throws Exception {
    AgentIdentity identity = new Enroller(address, new DataDir(work.resolve("raw")), new TlsChannelFactory(), clock,
        "test").enroll(tokenFile("raw-01")).identity();
    // gRPC's default inbound limit, 4 MiB, is the agent's: every message must fit it.
    var ssl = GrpcSslContexts.forClient().trustManager(identity.ca())
        .keyManager(identity.privateKey(), identity.certificateChain().get(0));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", address.port()).sslContext(ssl.build()).build();
    BlockingQueue<ControllerMessage> received = new LinkedBlockingQueue<>();
    try {
      StreamObserver<AgentMessage> requests = AgentServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
        @Override
        public void onNext(ControllerMessage value) {
          received.add(value);
        }

        @Override
        public void onError(Throwable t) {
          received.add(ControllerMessage.getDefaultInstance());
        }

        @Override
        public void onCompleted() {}
      });
      requests.onNext(AgentMessage.newBuilder().setHello(Hello.newBuilder().setApplier("dry-run")).build());

      String joined = transfer(received, 1);
      assertEquals(rules, joined);
      requests.onNext(rejected(1, 1));
      assertEquals(rules, transfer(received, 1), "sent once more after the refusal");
      requests.onNext(rejected(1, 2));
      assertNull(nextDesired(received, Duration.ofSeconds(3)), "not a third time");
      requests.onCompleted();
    } finally {
      channel.shutdownNow();
    }
  }

  /** Reads one whole chunked transfer of {@code generation} and returns the joined rules. */
  private static String transfer(BlockingQueue<ControllerMessage> received, long generation) throws Exception {
    ControllerMessage first = nextDesired(received, Duration.ofSeconds(30));
    assertTrue(first != null && first.hasDesiredState(), "a desired state: " + first);
    var state = first.getDesiredState();
    assertEquals(generation, state.getGeneration());
    assertTrue(state.hasChunked(), "chunked");
    assertEquals("", state.getRules());
    int count = state.getChunked().getChunkCount();
    assertTrue(count > 3, "chunks: " + count);
    var bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      ControllerMessage m = nextDesired(received, Duration.ofSeconds(30));
      assertTrue(m != null && m.hasRuleChunk(), "chunk " + i + ": " + m);
      assertEquals(i, m.getRuleChunk().getIndex());
      assertEquals(generation, m.getRuleChunk().getGeneration());
      assertTrue(m.getRuleChunk().getData().size() <= RuleChunks.DEFAULT_CHUNK_BYTES);
      m.getRuleChunk().getData().writeTo(bytes);
    }
    assertEquals(state.getChunked().getTotalBytes(), bytes.size());
    assertEquals(state.getDigest(), sha256(bytes.toString(StandardCharsets.UTF_8)));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /** The next message that is not a status acknowledgement (those come between chunks), or null. */
  private static ControllerMessage nextDesired(BlockingQueue<ControllerMessage> received, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      ControllerMessage m = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (m == null || !m.hasStatusAck()) {
        return m;
      }
    }
  }

  private AgentMessage rejected(long generation, long sequence) {
    return AgentMessage.newBuilder().setStatus(ApplyStatus.newBuilder().setGeneration(generation)
        .setState(ApplyState.APPLY_STATE_REJECTED).setDigest(sha256(rules)).setSequence(sequence)
        .setError("digest mismatch: the joined chunks do not hash to the signed digest")
        .setAtMillis(clock.millis())).build();
  }

  private String awaitCompliant() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String state = "";
    while (System.nanoTime() < deadline) {
      state = admin.stub().listDeviceStatus(ListDeviceStatusRequest.getDefaultInstance()).getDevices(0).getState();
      if (state.equals("compliant")) {
        return state;
      }
      Thread.sleep(100);
    }
    return state;
  }

  private Path tokenFile(String device) {
    var r = admin.stub().createEnrollmentToken(
        CreateEnrollmentTokenRequest.newBuilder().setDevice(device).setTtlSeconds(3600).build());
    Path file = work.resolve("token-" + device);
    io.bulwark.controller.cli.TokenFiles.write(file, r);
    return file;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An nftables target whose rule set is one large address set, whatever the countermeasures. */
  static final class BigSetGenerator implements RuleGenerator {
    private final String text;

    BigSetGenerator(String text) {
      this.text = text;
    }

    /** A table with a set of {@code elements} distinct IPv4 addresses, as the nftables generator lays it out. */
    static String rules(int elements) {
      StringBuilder s = new StringBuilder(elements * 16);
      s.append("table inet bulwark {\n\tset blocked_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = {\n");
      for (int i = 0; i < elements; i++) {
        int n = i + 1;
        s.append("\t\t\t10.").append(n >> 16 & 255).append('.').append(n >> 8 & 255).append('.').append(n & 255)
            .append(i + 1 < elements ? ",\n" : "\n");
      }
      return s.append("\t\t}\n\t}\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n")
          .append("\t\tip saddr @blocked_v4 drop\n\t}\n}\n").toString();
    }

    @Override
    public String id() {
      return "nftables";
    }

    @Override
    public GenerationResult generate(RuleInput input) {
      return new GenerationResult.Rules(text, List.of());
    }
  }
}
