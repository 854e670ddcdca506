package io.tickstream.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shared real data sets ({@code shared/data}, a sibling of the project root), found
 * by walking up from the working directory, so tests run from any module and any worktree read the
 * files in place instead of copies in the repository.
 */
public final class SharedData {
  private SharedData() {}

  /**
   * The file {@code shared/data/NAME} in the nearest ancestor of the working directory that has
   * one.
   *
   * @throws IllegalStateException naming the directory searched from when there is none
   */
  public static Path file(String name) {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared").resolve("data").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no shared/data/" + name + " in " + start + " or any directory above it");
  }
}
