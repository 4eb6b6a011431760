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
    String installedOptions = "JAVA_OPTS=\"" + AgentPackage.JAVA_OPTS
        + (javaAccepts("-XX:TrimNativeHeapInterval=5000") ? " -XX:TrimNativeHeapInterval=5000" : "") + "\"";
    assertTrue(Files.readAllLines(root.resolve("etc/bulwark-agent/agent.env")).contains(installedOptions),
        installedOptions);

    Result again = run(pkg.resolve("install.sh"), "--root", root.toString(), "--no-systemd", "--no-start");
    assertEquals(0, again.code(), again.output());
    assertTrue(Files.readAllLines(root.resolve("etc/bulwark-agent/agent.env")).contains(installedOptions),
        "again: " + installedOptions);

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

    Result reenroll = run(pkg.resolve("install.sh"), "--root", root.toString(), "--reenroll");
    assertEquals(0, reenroll.code(), reenroll.output());
    assertTrue(reenroll.output().contains("the agent enrolls again with it once its certificate has expired"),
        reenroll.output());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(data.resolve("enroll.token"))));
    assertEquals("enrolled", Files.readString(data.resolve("agent.crt")), "the credentials stay");

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
    var e = assertThrows(IllegalArgumentException.class, () -> AgentPackage.Kind.parse("ebtables"));
    assertTrue(e.getMessage().contains("--kind must be nftables, iptables, file or dry-run"), e.getMessage());
    for (String[] bad : new String[][] {
        {"snort", "/srv/rules", "", ""}, {"yara", "srv/rules", "", ""}, {"yara", "/srv/../etc", "", ""},
        {"yara", "/srv/rules", "yara $(reboot) {file}", ""}, {"yara", "/srv/rules", "", "rndc \"reload\""},
        {"yara", "/srv/rules", "", "a\nEVIL=1"}, {"yara", "/srv/rules", "`reboot`", ""}}) {
      assertThrows(IllegalArgumentException.class, () -> new AgentPackage.FileRules(bad[0], bad[1], bad[2], bad[3]),
          String.join(" | ", bad));
    }
    assertThrows(IllegalArgumentException.class, () -> new AgentPackage.Spec(
        "web-1", AgentPackage.Kind.FILE, List.of(), "ctl:7443", PIN, TOKEN, jar));
    assertEquals("rw-------", mode(writePackage(AgentPackage.Kind.NFTABLES).resolve("enroll.token")));
  }

  @Test
  void fileKind_createsItsRuleDirectory_grantsOnlyIt_andUninstallRemovesIt() throws Exception {
    AgentPackage.FileRules rules =
        new AgentPackage.FileRules("yara", "/srv/bulwark/yara", "sh -n {file}", "true");
    Path pkg = writePackage(AgentPackage.Kind.FILE, rules);
    Path root = Files.createDirectories(dir.resolve("root"));

    Result install = run(pkg.resolve("install.sh"), "--root", root.toString());

    assertEquals(0, install.code(), install.output());
    assertTrue(install.output().contains("created the rule directory " + root + "/srv/bulwark/yara"), install.output());
    String unit = Files.readString(root.resolve("etc/systemd/system/bulwark-agent.service"));
    assertTrue(unit.contains("ReadWritePaths=/var/lib/bulwark-agent /srv/bulwark/yara\n"), unit);
    assertTrue(unit.contains("CapabilityBoundingSet=\n") && !unit.contains("CAP_NET_ADMIN"), unit);
    String env = Files.readString(root.resolve("etc/bulwark-agent/agent.env"));
    assertTrue(env.contains("BULWARK_APPLIER=file\n"), env);
    assertTrue(env.contains("BULWARK_FILE_TARGET=yara\nBULWARK_FILE_DIR=/srv/bulwark/yara\n"
        + "BULWARK_FILE_CHECK=\"sh -n {file}\"\nBULWARK_FILE_RELOAD=\"true\"\n"), env);
    Files.writeString(root.resolve("srv/bulwark/yara/bulwark.yar"), "rule a { condition: true }\n");

    Result uninstall = run(pkg.resolve("uninstall.sh"), "--root", root.toString());

    assertEquals(0, uninstall.code(), uninstall.output());
    assertEquals(List.of(), tree(root));
  }

  @Test
  void eachKind_checksForItsTools_namingTheDebianPackage() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = Files.writeString(bin.resolve("java"),
        "#!/bin/sh\nexec " + ProcessHandle.current().info().command().orElseThrow() + " \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    // Only /usr/bin and /bin: on Debian ipset, iptables-restore and nft are in /usr/sbin.
    List<String> path = List.of("PATH=" + bin + ":/usr/bin:/bin");

    Result iptables = runWith(path, writePackage(AgentPackage.Kind.IPTABLES, null).resolve("install.sh"),
        "--root", root.toString());
    Result file = runWith(path, writePackage(AgentPackage.Kind.FILE,
            new AgentPackage.FileRules("rpz", "/srv/rpz", "no-such-checkzone -k fail rpz.bulwark {file}", ""))
        .resolve("install.sh"), "--root", root.toString());

    assertEquals(1, iptables.code(), iptables.output());
    assertTrue(iptables.output().contains("the iptables kind needs ipset (Debian: apt-get install -y ipset)"),
        iptables.output());
    assertEquals(1, file.code(), file.output());
    assertTrue(file.output().contains(
        "the file kind needs no-such-checkzone (Debian: apt-get install -y bind9-utils)"), file.output());
    assertEquals(List.of(), tree(root), "nothing is installed when a tool is missing");
  }

  @Test
  void uninstallWithRemoveTable_onIptables_deletesOnlyTheAgentsChainsAndSets() throws Exception {
    Path pkg = writePackage(AgentPackage.Kind.IPTABLES, null);
    Path root = Files.createDirectories(dir.resolve("root"));
    Path calls = dir.resolve("calls");
    List<String> env = new ArrayList<>();
    for (String tool : new String[] {"iptables", "ip6tables", "ipset"}) {
      Path fake = dir.resolve("fake-" + tool);
      // -D succeeds once per chain (one jump each), list -n prints one set of ours and one other.
      Files.writeString(fake, "#!/bin/sh\necho \"" + tool + " $*\" >> " + calls + "\n"
          + "case \"$*\" in '-D '*) [ -f " + fake + ".$2 ] && exit 1; touch " + fake + ".$2 ;;"
          + " 'list -n') echo bw-cm1-v4; echo theirs ;; esac\n");
      Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
      env.add("BULWARK_" + tool.toUpperCase(java.util.Locale.ROOT) + "=" + fake);
    }
    assertEquals(0, runWith(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), pkg.resolve("install.sh"),
        "--root", root.toString(), "--no-systemd", "--no-start").code());

    Result uninstall = runWith(env, pkg.resolve("uninstall.sh"), "--root", root.toString(), "--remove-table");

    assertEquals(0, uninstall.code(), uninstall.output());
    List<String> lines = Files.readAllLines(calls);
    assertTrue(lines.contains("iptables -D INPUT -j BULWARK-INPUT"), lines.toString());
    assertTrue(lines.contains("ip6tables -X BULWARK-OUTPUT"), lines.toString());
    assertTrue(lines.contains("ipset destroy bw-cm1-v4"), lines.toString());
    assertFalse(lines.contains("ipset destroy theirs"), lines.toString());
    assertEquals(List.of(), tree(root));
  }

  private Path writePackage(AgentPackage.Kind kind) throws IOException {
    return writePackage(kind, null);
  }

  private Path writePackage(AgentPackage.Kind kind, AgentPackage.FileRules rules) throws IOException {
    Path jar = Files.writeString(dir.resolve("agent.jar"), "not really a jar");
    Path out = dir.resolve("pkg-" + kind + "-" + System.nanoTime());
    AgentPackage.write(
        new AgentPackage.Spec("web-1", kind, List.of("edge"), "ctl.example:7443", PIN, TOKEN, jar, rules), out);
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

  @Test
  void install_withAJavaLackingTheHeapTrim_installsWithoutIt() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));

    Result install = installWithJavaRefusing("-XX:TrimNativeHeapInterval=5000", root);

    assertEquals(0, install.code(), install.output());
    assertTrue(Files.readAllLines(root.resolve("etc/bulwark-agent/agent.env"))
        .contains("JAVA_OPTS=\"" + AgentPackage.JAVA_OPTS + "\""));
  }

  @Test
  void install_withAJavaRefusingTheAgentsOptions_failsNamingThem_andInstallsNothing() throws Exception {
    Path root = Files.createDirectories(dir.resolve("root"));

    Result install = installWithJavaRefusing("-XX:CICompilerCount=2", root);

    assertEquals(1, install.code(), install.output());
    assertTrue(install.output().contains("does not start with the agent's options")
        && install.output().contains("Unrecognized VM option 'CICompilerCount=2'"), install.output());
    assertEquals(List.of(), tree(root));
  }

  /** install.sh of a dry-run package into {@code root}, with a `java` on the PATH refusing {@code option}. */
  private Result installWithJavaRefusing(String option, Path root) throws Exception {
    Path pkg = writePackage(AgentPackage.Kind.DRY_RUN);
    return runWith(List.of("PATH=" + fakeJava(option) + ":/usr/sbin:/usr/bin:/sbin:/bin"), pkg.resolve("install.sh"),
        "--root", root.toString(), "--no-systemd", "--no-start");
  }

  /** A directory holding a `java` that says it is 17 and refuses {@code option} as an unknown one. */
  private Path fakeJava(String option) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("fake-bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\n"
        + "for a in \"$@\"; do\n"
        + "  if [ \"$a\" = '" + option + "' ]; then\n"
        + "    echo \"Unrecognized VM option '" + option.substring(4) + "'\" >&2\n"
        + "    echo 'Error: Could not create the Java Virtual Machine.' >&2; exit 1\n"
        + "  fi\n"
        + "done\n"
        + "echo '    java.specification.version = 17' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    return bin;
  }

  /** Whether the `java` install.sh finds on the PATH accepts {@code option}. */
  private static boolean javaAccepts(String option) throws Exception {
    Process p = new ProcessBuilder("java", option, "-version").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  @Test
  void unitJavaOptions_startThisJvm_withBothCompilersOnTwoThreads() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(List.of(AgentPackage.JAVA_OPTS.split(" ")));
    cmd.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.matches("(?s).*\\bTieredStopAtLevel\\s+= 4\\b.*"), "C2 available");
    assertTrue(out.matches("(?s).*\\bCICompilerCount\\s+= 2\\b.*"), "two compiler threads");
    assertTrue(out.matches("(?s).*\\bUseSerialGC\\s+= true\\b.*"), "serial GC");
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
