package io.bulwark.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that readers see either the old or the new content, never a mix, and the new
 * content survives a crash once {@link #write} returns.
 *
 * <p>The temporary file is created with its final permissions, so a private key is never readable
 * by others, not even for a moment. Linux (POSIX file systems) only.
 */
public final class AtomicFiles {

  /** {@code rw-------}: keys, state and anything else only the agent may read. */
  private static final int SLICE_BYTES = 1 << 20;

  public static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** {@code rw-r--r--}: public material such as certificates. */
  public static final Set<PosixFilePermission> WORLD_READABLE =
      PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /**
   * Writes {@code content} to a temporary file beside {@code target} with {@code permissions},
   * syncs it, renames it over {@code target} and syncs the directory.
   *
   * @throws IOException when any step fails; {@code target} is then unchanged
   */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp =
        dir.resolve(
            "."
                + target.getFileName()
                + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(permissions));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        // In slices: the JDK copies a heap buffer into a direct one of the same size per write,
        // and keeps that one cached on the thread.
        for (int offset = 0; offset < content.length; offset += SLICE_BYTES) {
          ByteBuffer buffer =
              ByteBuffer.wrap(content, offset, Math.min(SLICE_BYTES, content.length - offset));
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      // Left by a failed rename, and by one onto another name of the same file (which does nothing).
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /**
   * Makes {@code target} a second name of {@code source} (a hard link, so nothing is copied),
   * replacing {@code target} atomically, and syncs the directory. {@code source} must only ever be
   * replaced by {@link #write}, never rewritten in place, or {@code target} would change with it.
   *
   * @throws IOException when any step fails; {@code target} is then unchanged
   */
  public static void link(Path target, Path source) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve("." + target.getFileName() + ".link-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    Files.createLink(temp, source);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    syncDirectory(dir);
  }

  /** Makes the entries of {@code dir} (a file created, renamed or removed) durable. */
  public static void syncDirectory(Path dir) throws IOException {
    // The rename is only durable once the directory entry is on disk.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
