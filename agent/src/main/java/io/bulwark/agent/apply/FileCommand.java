package io.bulwark.agent.apply;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A check or reload command for the {@link FileApplier}, from the agent's configuration.
 *
 * <p>The text is split on spaces into the program and its arguments and run without a shell, so
 * nothing in it is expanded but two placeholders, which may stand anywhere in a word: {@code
 * {file}}, the rule set's first file, and {@code {dir}}, the directory holding the files. A check
 * command sees the new files in a staging directory before they are installed; a reload command
 * sees the installed ones. Examples: {@code yara -w {file} /dev/null}, {@code named-checkzone -k
 * fail rpz.bulwark {file}}, {@code sigtool --list-sigs={file}}, {@code clamscan -d {dir}
 * /dev/null}, {@code rndc reload rpz.bulwark}. Anything more needs a script. Immutable.
 */
public record FileCommand(List<String> words) {

  public FileCommand {
    words = List.copyOf(words);
    if (words.isEmpty() || words.get(0).isEmpty()) {
      throw new IllegalArgumentException("the command is empty");
    }
  }

  /**
   * Parses a command line as described above.
   *
   * @throws IllegalArgumentException when it is empty or holds a control character
   */
  public static FileCommand parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("the command holds a control character");
    }
    List<String> words = new ArrayList<>();
    for (String word : text.strip().split(" +")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return new FileCommand(words);
  }

  /** Returns true when a word refers to {@code {file}}. */
  public boolean needsFile() {
    return words.stream().anyMatch(w -> w.contains("{file}"));
  }

  /** The words with the placeholders replaced. */
  public List<String> expand(Path file, Path dir) {
    List<String> expanded = new ArrayList<>(words.size());
    for (String word : words) {
      String w = word.replace("{dir}", dir.toString());
      expanded.add(file == null ? w : w.replace("{file}", file.toString()));
    }
    return expanded;
  }

  @Override
  public String toString() {
    return String.join(" ", words);
  }
}
