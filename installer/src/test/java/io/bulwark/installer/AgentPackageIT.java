package io.bulwark.installer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real install.sh and uninstall.sh, run with bash against a temporary root. */
class AgentPackageIT {
  private static final String PIN = "sha256:" + "ab".repeat(32);
  private static final String TOKEN = "device=web-1\ntoken=abc.def\nca_pin=" + PIN + "\n";

  @TempDir Path dir;

  @Test
  void installIntoARoot_thenUninstall_leavesNothingBehind() throws Exception {
    Path pkg = writePackage(AgentPackage.Kind.DRY_RUN);
    Path root = Files.createDirectories(dir.resolve("root"));

    Result first = run(pkg.resolve("install.sh"), "--root", root.toString(), "--no-systemd", "--no-start");

    assertEquals(0, first.code(), first.output());
    assertEquals("rw-r--r--", mode(root.resolve("opt/bulwark-agent/bulwark-agent.jar")));
    assertEquals("rwxr-x---", mode(root.resolve("etc/bulwark-agent")));
    assertEquals("rw-r-----", mode(root.resolve("etc/bulwark-agent/agent.env")));
    assertEquals("rwx------", mode(root.resolve("var/lib/bulwark-agent")));
    assertEquals("rw-------", mode(root.resolve("var/lib/bulwark-agent/enroll.token")));
    assertEquals(TOKEN, Files.readString(root.resolve("var/lib/bulwark-agent/enroll.token")));
    assertFalse(Files.exists(root.resolve("etc/systemd/system/bulwark-agent.service")), "--no-systemd");

    Result again = run(pkg.resolve("install.sh"), "--root", root.toString(), "--no-systemd", "--no-start");
    assertEquals(0, again.code(), again.output());

    Result uninstall = run(pkg.resolve("uninstall.sh"), "--root", root.toString(), "--no-systemd");
    assertEquals(0, uninstall.code(), uninstall.output());
    assertEquals(List.of(), tree(root));
  }

  @Test
  void reinstallAfterEnrollment_keepsTheCredentials_andDoesNotPutTheUsedTokenBack() throws Exception {
    Path pkg = writePackage(AgentPackage.Kind.DRY_RUN);
    Path root = Files.createDirectories(dir.resolve("root"));
    assertEquals(0, run(pkg.resolve("install.sh"), "--root", root.toString()).code());
    Path data = root.resolve("var/lib/bulwark-agent");
    Files.delete(data.resolve("enroll.token"));
    Files.writeString(data.resolve("agent.crt"), "enrolled");

    Result again = run(pkg.resolve("install.sh"), "--root", root.toString());

    assertEquals(0, again.code(), again.output());
    assertTrue(again.output().contains("already enrolled"), again.output());
    assertFalse(Files.exists(data.resolve("enroll.token")));
    assertEquals("enrolled", Files.readString(data.resolve("agent.crt")));
    String unit = Files.readString(root.resolve("etc/systemd/system/bulwark-agent.service"));
    assertTrue(unit.contains("CapabilityBoundingSet=CAP_NET_ADMIN") && unit.contains("ProtectSystem=strict")
        && unit.contains("NoNewPrivileges=yes") && unit.contains("ReadWritePaths=/var/lib/bulwark-agent"), unit);

    assertEquals(0, run(pkg.resolve("uninstall.sh"), "--root", root.toString()).code());
    assertEquals(List.of(), tree(root));
  }

  @Test
  void uninstallWithRemoveTable_deletesOnlyTheAgentsTable() throws Exception {
    Path pkg = writePackage(AgentPackage.Kind.DRY_RUN);
    Path root = Files.createDirectories(dir.resolve("root"));
    Path calls = dir.resolve("nft-calls");
    Path fakeNft = dir.resolve("fake-nft");
    Files.writeString(fakeNft, "#!/bin/sh\necho \"$*\" >> " + calls + "\n");
    Files.setPosixFilePermissions(fakeNft, PosixFilePermissions.fromString("rwx------"));
    assertEquals(0, run(pkg.resolve("install.sh"), "--root", root.toString(), "--no-systemd", "--no-start").code());

    Result uninstall = runWith(List.of("BULWARK_NFT=" + fakeNft), pkg.resolve("uninstall.sh"),
        "--root", root.toString(), "--remove-table");

    assertEquals(0, uninstall.code(), uninstall.output());
    assertEquals(List.of("list table inet bulwark", "delete table inet bulwark"), Files.readAllLines(calls));
    assertEquals(List.of(), tree(root));
  }

  @Test
  void package_refusesValuesThatCouldInjectIntoTheScripts_andKindsTheAgentLacks() throws Exception {
    Path jar = Files.writeString(dir.resolve("agent.jar"), "jar");
    assertThrows(IllegalArgumentException.class, () -> new AgentPackage.Spec(
        "web-1", AgentPackage.Kind.NFTABLES, List.of(), "ctl:7443\nEVIL=1", PIN, TOKEN, jar));
    assertThrows(IllegalArgumentException.class, () -> new AgentPackage.Spec(
        "web-1", AgentPackage.Kind.NFTABLES, List.of("a$(reboot)"), "ctl:7443", PIN, TOKEN, jar));
    var e = assertThrows(IllegalArgumentException.class, () -> AgentPackage.Kind.parse("file"));
    assertTrue(e.getMessage().contains("no file applier yet"), e.getMessage());
    assertEquals("rw-------", mode(writePackage(AgentPackage.Kind.NFTABLES).resolve("enroll.token")));
  }

  private Path writePackage(AgentPackage.Kind kind) throws IOException {
    Path jar = Files.writeString(dir.resolve("agent.jar"), "not really a jar");
    Path out = dir.resolve("pkg-" + kind + "-" + System.nanoTime());
    AgentPackage.write(new AgentPackage.Spec("web-1", kind, List.of("edge"), "ctl.example:7443", PIN, TOKEN, jar), out);
    return out;
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static List<String> tree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private record Result(int code, String output) {}

  private static Result run(Path script, String... args) throws Exception {
    return runWith(List.of(), script, args);
  }

  private static Result runWith(List<String> env, Path script, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    for (String kv : env) {
      pb.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("script did not finish: " + out);
    }
    return new Result(p.exitValue(), out);
  }
}
