package io.bulwark.controller.cli.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Tries one TCP connection, optionally from a given source address. */
public final class TcpProbe {
  private TcpProbe() {}

  /** Whether a connection to {@code host:port} succeeds within {@code timeoutMillis}. */
  public static boolean connects(String source, String host, int port, int timeoutMillis) {
    try (Socket s = new Socket()) {
      if (source != null) {
        s.bind(new InetSocketAddress(source, 0));
      }
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      return s.getInputStream().read() >= 0;
    } catch (IOException e) {
      return false;
    }
  }
}
