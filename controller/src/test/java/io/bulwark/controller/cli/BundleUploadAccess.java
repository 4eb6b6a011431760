package io.bulwark.controller.cli;

import java.nio.file.Path;

/** Lets tests in other packages upload a bundle as {@code bulwark ingest} does. */
public final class BundleUploadAccess {
  private BundleUploadAccess() {}

  public static void send(AdminClient client, Path file) {
    BundleUpload.send(client, file, file.getFileName().toString());
  }
}
