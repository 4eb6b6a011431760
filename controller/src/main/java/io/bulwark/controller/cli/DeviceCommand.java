package io.bulwark.controller.cli;

import com.google.protobuf.ByteString;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.controller.ssh.HostKeys;
import io.bulwark.proto.admin.v1.AddSshDeviceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark device add}: agentless devices reached over SSH. */
@Command(name = "device", mixinStandardHelpOptions = true,
    description = "Agentless devices; naming a device's owner; revoking any device.",
    subcommands = {DeviceCommand.Add.class, DeviceCommand.Owner.class, DeviceCommand.Revoke.class})
final class DeviceCommand extends CommandGroup {

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Registers a device the controller reaches over SSH (no agent).",
          "The host key must be given, or its SHA-256 fingerprint to confirm: a server presenting another key",
          "is refused. The private key and the password are sealed at rest by the controller and never shown again."})
  static final class Add implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--ssh", required = true, paramLabel = "HOST:PORT") String address;

    @Option(names = "--platform", required = true, paramLabel = "PLATFORM", description = "linux-nftables, cisco-ios or junos") String platform;

    @Option(names = "--user", required = true, paramLabel = "USER") String user;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Private key, OpenSSH or PEM, no passphrase.")
    Path keyFile;

    @Option(names = "--password-file", paramLabel = "FILE",
        description = "A file holding the SSH password (one line), with or instead of --key-file.")
    Path passwordFile;

    @ArgGroup(exclusive = true, multiplicity = "1") HostKey hostKey;

    static final class HostKey {
      @Option(names = "--host-key", required = true, paramLabel = "\"ALGO BASE64\"", description = "The pinned host key, as in known_hosts.")
      String pinned;

      @Option(names = "--confirm-host-key", required = true, paramLabel = "SHA256:...",
          description = "The host key's fingerprint, as ssh-keygen -l prints it: the key is pinned on first contact only if it matches.")
      String fingerprint;
    }

    @Option(names = "--tags", split = ",", paramLabel = "TAG") List<String> tags = new ArrayList<>();

    @Override
    public Integer call() {
      var hostPort = ControllerConfig.parseAddress("--ssh", address);
      if (keyFile == null && passwordFile == null) {
        throw new BulwarkException.Usage("give --key-file, --password-file or both");
      }
      if (hostKey.fingerprint != null && !HostKeys.isFingerprint(hostKey.fingerprint)) {
        throw new BulwarkException.Usage("--confirm-host-key must be SHA256: and 43 base64 characters, as ssh-keygen -l prints");
      }
      byte[] key = keyFile == null ? new byte[0] : read("--key-file", keyFile);
      byte[] password = passwordFile == null ? new byte[0] : password(passwordFile);
      try (AdminClient client = dataDir.open()) {
        var request = AddSshDeviceRequest.newBuilder().setName(name).setHost(hostPort.getHostString())
            .setPort(hostPort.getPort()).setUser(user).setPlatform(platform)
            .setPrivateKey(ByteString.copyFrom(key)).setPassword(ByteString.copyFrom(password)).addAllTags(tags);
        if (hostKey.pinned != null) {
          request.setHostKey(hostKey.pinned);
        } else {
          request.setConfirmHostKey(hostKey.fingerprint);
        }
        var r = client.stub().addSshDevice(request.build());
        System.out.println("device " + r.getDevice() + " added; host key " + r.getHostKeyFingerprint()
            + (r.getConfirmOnFirstContact() ? " will be pinned on first contact if the device presents it" : " pinned"));
      } finally {
        Arrays.fill(key, (byte) 0);
        Arrays.fill(password, (byte) 0);
      }
      return 0;
    }

    private static byte[] read(String option, Path file) {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        throw new BulwarkException.Usage("cannot read " + option + " " + file + ": " + reason(e));
      }
    }

    /** The first line of the file, without its line ending; the message never quotes the file. */
    private static byte[] password(Path file) {
      byte[] all = read("--password-file", file);
      try {
        int end = 0;
        while (end < all.length && all[end] != '\n' && all[end] != '\r') {
          end++;
        }
        if (end == 0) {
          throw new BulwarkException.Usage("--password-file " + file + " is empty: the password is its first line");
        }
        return Arrays.copyOf(all, end);
      } finally {
        Arrays.fill(all, (byte) 0);
      }
    }

    private static String reason(IOException e) {
      if (e instanceof java.nio.file.NoSuchFileException) {
        return "no such file";
      }
      if (e instanceof java.nio.file.AccessDeniedException) {
        return "permission denied";
      }
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {"Revokes a device: its certificates are refused at every TLS handshake and its open stream",
          "is closed at once. It can come back only by enrolling with a new one-time token."})
  static final class Revoke implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--reason", defaultValue = "", paramLabel = "TEXT") String reason;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        client.stub().revokeDevice(io.bulwark.proto.admin.v1.RevokeDeviceRequest.newBuilder().setDevice(name)
            .setReason(reason).build());
        System.out.println("device " + name + " revoked");
      }
      return 0;
    }
  }

  @Command(name = "owner", mixinStandardHelpOptions = true,
      description = "Names who answers for a device; the chase list and the compliance report show it.")
  static final class Owner implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Parameters(index = "1", paramLabel = "OWNER", description = "A person, team or address, for example \"net-team <net@example.org>\".")
    String owner;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        client.stub().setDeviceOwner(io.bulwark.proto.admin.v1.SetDeviceOwnerRequest.newBuilder().setDevice(name)
            .setOwner(owner).build());
        System.out.println("device " + name + " is owned by " + owner.replaceAll("\\p{Cntrl}", " "));
      }
      return 0;
    }
  }
}
