package dev.kopeck.cli;

import dev.kopeck.base.InputException;
import dev.kopeck.base.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the command's input: a file, or standard input for {@code -}. */
final class Inputs {
  private Inputs() {}

  static String name(String arg) {
    return arg.equals("-") ? "<stdin>" : arg;
  }

  /** Whether any of the named files (not standard input) is a file of at least {@code size} bytes. */
  static boolean anyAtLeast(java.util.List<String> args, long size) {
    for (String a : args) {
      try {
        if (!a.equals("-") && Files.size(Path.of(a)) >= size) {
          return true;
        }
      } catch (IOException | java.nio.file.InvalidPathException e) {
        // not readable: its own read reports it
      }
    }
    return false;
  }

  static byte[] bytes(String arg, InputStream stdin) {
    try {
      if (arg.equals("-")) {
        return stdin.readAllBytes();
      }
      Path p = Path.of(arg);
      if (Files.isDirectory(p)) {
        throw new InputException(arg, null, "is a folder, not a file");
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw InputException.unreadable(name(arg), e);
    }
  }

  /**
   * The first {@code n} bytes (fewer if shorter), to sniff the format. For standard input the
   * stream is marked and reset, so the bytes are read again after.
   */
  static byte[] head(String arg, InputStream stdin, int n) {
    try {
      if (arg.equals("-")) {
        if (!stdin.markSupported()) {
          throw new IllegalStateException("stdin must support mark/reset");
        }
        stdin.mark(n);
        byte[] b = stdin.readNBytes(n);
        stdin.reset();
        return b;
      }
      Path p = Path.of(arg);
      if (Files.isDirectory(p)) {
        throw new InputException(arg, null, "is a folder, not a file");
      }
      try (InputStream in = Files.newInputStream(p)) {
        return in.readNBytes(n);
      }
    } catch (IOException e) {
      throw InputException.unreadable(name(arg), e);
    }
  }

  /**
   * The input as a stream, for a log read line by line: a file (a folder, a missing or unreadable
   * file is an error naming it), or standard input for {@code -}. A gzip stream (a rotated
   * {@code .gz} log) is read through, found by its magic bytes, not its name.
   */
  static InputStream stream(String arg, InputStream stdin) {
    try {
      InputStream in;
      if (arg.equals("-")) {
        in = stdin;
      } else {
        Path p = Path.of(arg);
        if (Files.isDirectory(p)) {
          throw new InputException(arg, null, "is a folder, not a file");
        }
        in = Files.newInputStream(p);
      }
      java.io.BufferedInputStream b = new java.io.BufferedInputStream(in, 1 << 16);
      b.mark(2);
      int m0 = b.read();
      int m1 = b.read();
      b.reset();
      return m0 == 0x1f && m1 == 0x8b ? new java.util.zip.GZIPInputStream(b, 1 << 16) : b;
    } catch (IOException e) {
      throw InputException.unreadable(name(arg), e);
    }
  }

  /** The input as text, strictly UTF-8: a bad byte is an error naming its offset. */
  static String text(String arg, InputStream stdin) {
    return Utf8.decode(name(arg), bytes(arg, stdin));
  }
}
