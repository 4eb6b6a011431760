package io.bulwark.controller.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small LAN of network namespaces: a bridge in the root namespace holding
 * {@code 10.250.S.1/24} and, per host, a namespace with a veth link on the bridge at
 * {@code 10.250.S.(10+i)}. {@link #close()} kills what runs inside the namespaces and removes
 * everything, and is safe to call more than once and from a shutdown hook. Needs root.
 */
public final class TestNetwork implements AutoCloseable {
  private final String prefix;
  private final int subnet;
  private final Map<String, String> hosts = new LinkedHashMap<>();
  private final List<String> extraAddresses = new ArrayList<>();
  private boolean bridgeCreated;
  private boolean closed;

  /**
   * @param prefix at most 9 characters, unique on the machine (interface names are limited to 15)
   * @param subnet the third octet of {@code 10.250.S.0/24}
   */
  public TestNetwork(String prefix, int subnet) {
    if (prefix.length() > 9) {
      throw new IllegalArgumentException("prefix too long: " + prefix);
    }
    this.prefix = prefix;
    this.subnet = subnet;
  }

  /** A prefix unique to this process. */
  public static String processPrefix(String stem) {
    return stem + (ProcessHandle.current().pid() % 100_000);
  }

  public String bridge() {
    return prefix + "br";
  }

  /** The root namespace's address on the LAN, where hosts find the controller. */
  public String gatewayAddress() {
    return "10.250." + subnet + ".1";
  }

  /** Creates the bridge. */
  public synchronized TestNetwork start() {
    HostCommand.check("ip", "link", "add", bridge(), "type", "bridge");
    bridgeCreated = true;
    HostCommand.check("ip", "addr", "add", gatewayAddress() + "/24", "dev", bridge());
    HostCommand.check("ip", "link", "set", bridge(), "up");
    return this;
  }

  /** Adds a host; returns its namespace name. Its address is {@link #address(String)}. */
  public synchronized String addHost(String name) {
    int index = hosts.size();
    String ns = prefix + "-" + name;
    String rootEnd = prefix + "r" + index;
    String hostEnd = prefix + "h" + index;
    HostCommand.check("ip", "netns", "add", ns);
    hosts.put(name, ns);
    HostCommand.check("ip", "link", "add", rootEnd, "type", "veth", "peer", "name", hostEnd);
    HostCommand.check("ip", "link", "set", hostEnd, "netns", ns);
    HostCommand.check("ip", "link", "set", rootEnd, "master", bridge(), "up");
    HostCommand.check("ip", "-n", ns, "addr", "add", address(name) + "/24", "dev", hostEnd);
    HostCommand.check("ip", "-n", ns, "link", "set", hostEnd, "up");
    HostCommand.check("ip", "-n", ns, "link", "set", "lo", "up");
    HostCommand.check("ip", "-n", ns, "route", "add", "default", "via", gatewayAddress());
    return ns;
  }

  /** The address of a host added with {@link #addHost}. */
  public String address(String name) {
    int i = new ArrayList<>(hosts.keySet()).indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no host " + name);
    }
    return "10.250." + subnet + "." + (10 + i);
  }

  public String namespace(String name) {
    return hosts.get(name);
  }

  /** Adds a source address (for example one a countermeasure blocks) to the root side. */
  public synchronized void addRootAddress(String address) {
    HostCommand.check("ip", "addr", "add", address + "/32", "dev", bridge());
    extraAddresses.add(address);
  }

  /** Kills every process in the namespaces, deletes them and the bridge. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (String ns : hosts.values()) {
      String pids = HostCommand.run(List.of("ip", "netns", "pids", ns)).stdout();
      for (String pid : pids.split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      HostCommand.run(List.of("ip", "netns", "del", ns));
    }
    if (bridgeCreated) {
      HostCommand.run(List.of("ip", "link", "del", bridge()));
    }
  }
}
