package io.bulwark.controller.pki;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The names and addresses the controller's server certificate carries, and the address it
 * advertises to agents: every local address (so agents can dial any of them with hostname
 * checks on), the host name, localhost, and whatever the operator passed as {@code --advertise}.
 */
public final class ServerNames {
  private static final Logger log = LoggerFactory.getLogger(ServerNames.class);
  private final InetSocketAddress listen;
  private final List<String> advertise;

  public ServerNames(InetSocketAddress listen, List<String> advertise) {
    this.listen = listen;
    this.advertise = List.copyOf(advertise);
  }

  /** The address agents are told to dial: the first advertised name, else the listen address. */
  public String agentAddress() {
    String host;
    if (!advertise.isEmpty()) {
      host = advertise.get(0);
    } else if (listen.getAddress() == null || listen.getAddress().isAnyLocalAddress()) {
      host = localHostName();
    } else {
      host = listen.getAddress().getHostAddress();
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + listen.getPort();
  }

  public Set<String> dnsNames() {
    Set<String> names = new LinkedHashSet<>();
    names.add("localhost");
    names.add(localHostName());
    for (String a : advertise) {
      if (!looksLikeAddress(a)) {
        names.add(a);
      }
    }
    return names;
  }

  /** Every address of this host that is not link-local, and the advertised addresses. */
  public List<InetAddress> addresses() {
    Set<InetAddress> out = new LinkedHashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
          if (!a.isLinkLocalAddress()) {
            out.add(a);
          }
        }
      }
      for (String a : advertise) {
        if (looksLikeAddress(a)) {
          out.add(InetAddress.getByName(a));
        }
      }
    } catch (SocketException | UnknownHostException e) {
      log.warn("cannot list local addresses: {}", e.getMessage());
    }
    return new ArrayList<>(out);
  }

  /** {@code HOST:PORT}, with brackets around an IPv6 address. */
  public static String hostPort(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private static boolean looksLikeAddress(String s) {
    return s.matches("[0-9.]+") || s.contains(":");
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
