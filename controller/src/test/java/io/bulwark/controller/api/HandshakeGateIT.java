package io.bulwark.controller.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.ControllerMain;
import io.bulwark.controller.approve.ApprovalPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent listener lets new connections through at the handshake rate, on a real socket. */
class HandshakeGateIT {

  @TempDir Path work;

  @Test
  void connectionsOverTheRate_areClosedBeforeTls_andTheListenerServesAgainAfterwards() throws Exception {
    ControllerConfig config = new ControllerConfig(work, new InetSocketAddress("127.0.0.1", 0),
        new InetSocketAddress("127.0.0.1", 0), null, List.of(), Duration.ofDays(1), ApprovalPolicy.SINGLE,
        null, null, null, ControllerConfig.DEFAULT_SSH_PARALLELISM, 3);
    try (ControllerMain controller = new ControllerMain(config, Clock.systemUTC()).start()) {
      int port = controller.agentAddress().getPort();
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          sockets.add(new Socket("127.0.0.1", port));
        }
        int closed = 0;
        for (Socket s : sockets) {
          if (closedByServer(s)) {
            closed++;
          }
        }
        // 3 at once, plus what refills while the ten connect (a few milliseconds at 3/s).
        assertTrue(closed >= 6 && closed <= 7, closed + " of 10 closed");
        assertEquals(closed, controller.handshakesRefused());
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
      Thread.sleep(1_100);
      try (Socket again = new Socket("127.0.0.1", port)) {
        assertTrue(!closedByServer(again), "after a second the rate lets connections through again");
      }
    }
  }

  /** True when the server closes the socket; a kept one waits for our TLS hello and says nothing. */
  private static boolean closedByServer(Socket socket) throws IOException {
    socket.setSoTimeout(300);
    InputStream in = socket.getInputStream();
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
