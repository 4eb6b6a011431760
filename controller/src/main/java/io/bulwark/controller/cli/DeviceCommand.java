package io.bulwark.controller.cli;

import com.google.protobuf.ByteString;
import io.bulwark.controller.ControllerConfig;
import io.bulwark.controller.domain.BulwarkException;
import io.bulwark.proto.admin.v1.AddSshDeviceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
          "The host key must be given: a server presenting another key is refused. The private key is",
          "sealed at rest by the controller and never shown again."})
  static final class Add implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--ssh", required = true, paramLabel = "HOST:PORT") String address;

    @Option(names = "--platform", required = true, paramLabel = "PLATFORM", description = "linux-nftables, cisco-ios or junos") String platform;

    @Option(names = "--user", required = true, paramLabel = "USER") String user;

    @Option(names = "--key-file", required = true, paramLabel = "FILE", description = "Private key, OpenSSH or PEM, no passphrase.")
    Path keyFile;

    @Option(names = "--host-key", required = true, paramLabel = "\"ALGO BASE64\"", description = "The pinned host key, as in known_hosts.")
    String hostKey;

    @Option(names = "--tags", split = ",", paramLabel = "TAG") List<String> tags = new ArrayList<>();

    @Override
    public Integer call() {
      var hostPort = ControllerConfig.parseAddress("--ssh", address);
      byte[] key;
      try {
        key = Files.readAllBytes(keyFile);
      } catch (IOException e) {
        throw new BulwarkException.Usage("cannot read --key-file " + keyFile + ": " + e.getMessage());
      }
      try (AdminClient client = dataDir.open()) {
        var r = client.stub().addSshDevice(AddSshDeviceRequest.newBuilder().setName(name).setHost(hostPort.getHostString())
            .setPort(hostPort.getPort()).setUser(user).setPlatform(platform).setHostKey(hostKey)
            .setPrivateKey(ByteString.copyFrom(key)).addAllTags(tags).build());
        System.out.println("device " + r.getDevice() + " added; host key " + r.getHostKeyFingerprint() + " pinned");
      } finally {
        java.util.Arrays.fill(key, (byte) 0);
      }
      return 0;
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
