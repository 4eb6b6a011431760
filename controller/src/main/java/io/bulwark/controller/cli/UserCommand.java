package io.bulwark.controller.cli;

import io.bulwark.controller.pki.PemFiles;
import io.bulwark.proto.admin.v1.AddUserRequest;
import io.bulwark.proto.admin.v1.ListUsersRequest;
import io.bulwark.proto.admin.v1.RevokeUserRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulwark user add|revoke|list}: admin users and their roles. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Admin users and their roles.",
    subcommands = {UserCommand.Add.class, UserCommand.Revoke.class, UserCommand.ListUsers.class})
final class UserCommand extends CommandGroup {

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Issues a user certificate with a role and writes the credentials file (mode 0600).",
          "Roles: operator (devices, enrollment), csirt (ingest, approve), auditor (read), admin (users)."})
  static final class Add implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "operator, csirt, auditor or admin.")
    String role;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the credentials.")
    Path out;

    @Option(names = "--validity", defaultValue = "90d", paramLabel = "DURATION",
        description = "Certificate lifetime (default: ${DEFAULT-VALUE}).")
    String validity;

    @Override
    public Integer call() {
      long seconds = Durations.parse("--validity", validity).toSeconds();
      try (AdminClient client = dataDir.open()) {
        var r = client.stub().addUser(AddUserRequest.newBuilder().setName(name).setRole(role)
            .setValiditySeconds(seconds).build());
        PemFiles.writePrivate(out, "# Bulwark user credentials for " + name + " (" + role + "); keep them private\n"
            + "# admin_address=" + r.getAdminAddress() + "\n" + r.getCredentialsPem());
        System.out.println("user " + name + " (" + role + ") written to " + out + ", valid until "
            + Instant.ofEpochMilli(r.getNotAfterMillis()) + "; use it with --credentials " + out);
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes every certificate of a user; the next call with one is refused.")
  static final class Revoke implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME", description = "The user name.")
    String name;

    @Override
    public Integer call() {
      try (AdminClient client = dataDir.open()) {
        int n = client.stub().revokeUser(RevokeUserRequest.newBuilder().setName(name).build()).getRevokedCertificates();
        System.out.println(n == 0 ? "user " + name + " had no active certificate" : "revoked " + n + " certificate(s) of " + name);
        return n == 0 ? 1 : 0;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists users, roles and certificate state.")
  static final class ListUsers implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT", description = "table or json.")
    Output.Format output;

    @Override
    public Integer call() {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (AdminClient client = dataDir.open()) {
        for (var u : client.stub().listUsers(ListUsersRequest.getDefaultInstance()).getUsersList()) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("name", u.getName());
          row.put("role", u.getRole());
          row.put("created", Instant.ofEpochMilli(u.getCreatedAtMillis()).toString());
          row.put("not_after", Instant.ofEpochMilli(u.getNotAfterMillis()).toString());
          row.put("revoked", u.getRevokedAtMillis() == 0 ? null : Instant.ofEpochMilli(u.getRevokedAtMillis()).toString());
          rows.add(row);
        }
      }
      Output.print(System.out, output, rows, List.of("name", "role", "created", "not_after", "revoked"));
      return 0;
    }
  }
}
