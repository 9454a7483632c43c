import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Build step: rewrites the files of one folder of a jar stored, not deflated, so that reading one is a copy.
 * The CLI's jar stores its vocabularies so: inflating o200k_base's 9.3 MB took 40-70 ms of a one-line count's
 * start, reading it stored a few (docs/benchmarks.md, "Start-up", issue 33); the jar grows by what deflating
 * saved them (about 36 MB). The other entries are copied as they are.
 *   java build/StoreUncompressed.java JAR FOLDER
 */
public final class StoreUncompressed {
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java build/StoreUncompressed.java JAR FOLDER");
      System.exit(2);
    }
    Path jar = Path.of(args[0]).toAbsolutePath();
    try (FileSystem zip = FileSystems.newFileSystem(jar, Map.of("compressionMethod", "STORED"))) {
      Path folder = zip.getPath(args[1]);
      if (!Files.isDirectory(folder)) {
        System.err.println("StoreUncompressed: " + jar + " has no folder " + args[1]);
        System.exit(2);
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(folder)) {
        files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
      }
      for (Path f : files) {
        byte[] bytes = Files.readAllBytes(f);
        Files.delete(f); // written anew, with the file system's method: stored
        Files.write(f, bytes);
      }
    }
  }
}
