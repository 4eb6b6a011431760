package io.bulwark.controller.cli.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.bulwark.controller.domain.BulwarkException;

/**
 * A stand-in for a host's services in the demo: accepts TCP connections on the given ports and
 * answers each with one line. Run inside a namespace; exits when its standard input closes, so
 * it never outlives the demo that started it.
 */
public final class PortListener {
  private PortListener() {}

  public static void main(String[] args) throws IOException {
    for (String arg : args) {
      ServerSocket server = new ServerSocket(Integer.parseInt(arg));
      Thread t = new Thread(() -> serve(server), "listen-" + arg);
      t.setDaemon(true);
      t.start();
    }
    System.out.println("listening");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Wait for the parent to go away.
    }
  }

  /**
   * Starts a listener inside a namespace on the JVM running this code and waits until it
   * listens. The caller destroys the returned process (closing its input also ends it).
   */
  public static Process startIn(String namespace, int... ports) {
    String classpath = Path.of(PortListener.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, AgentProcess.javaBinary(), "-Xmx16m",
        "-XX:+UseSerialGC", "-cp", classpath, PortListener.class.getName()));
    for (int port : ports) {
      cmd.add(Integer.toString(port));
    }
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String line = new String(p.getInputStream().readNBytes("listening".length()), StandardCharsets.US_ASCII);
      if (!line.equals("listening")) {
        p.destroyForcibly();
        throw new BulwarkException("the port listener did not start in " + namespace + ": " + line);
      }
      return p;
    } catch (IOException e) {
      throw new BulwarkException("cannot start the port listener: " + e.getMessage(), e);
    }
  }

  private static void serve(ServerSocket server) {
    while (true) {
      try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
        out.write(("bulwark demo service on port " + server.getLocalPort() + "\n").getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // One failed connection does not stop the listener.
      }
    }
  }
}
