import dev.kopeck.tokens.internal.ByteVocabulary;
import java.io.ByteArrayOutputStream;
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
 * Build step: writes beside each byte-level vocabulary (ID.kbbl) of one folder of a jar its lookup tables,
 * ready to use (ID.kbbt, ByteVocabulary.writeTables), stored, not deflated: a first count then copies them
 * instead of building them (docs/benchmarks.md, "Start-up, fourth pass", issue 33). Run with the jar on the
 * class path, for the tables are written by the code that reads them:
 *   java -cp JAR build/VocabularyTables.java JAR FOLDER
 */
public final class VocabularyTables {
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java -cp JAR build/VocabularyTables.java JAR FOLDER");
      System.exit(2);
    }
    Path jar = Path.of(args[0]).toAbsolutePath();
    try (FileSystem zip = FileSystems.newFileSystem(jar, Map.of("compressionMethod", "STORED"))) {
      Path folder = zip.getPath(args[1]);
      if (!Files.isDirectory(folder)) {
        System.err.println("VocabularyTables: " + jar + " has no folder " + args[1]);
        System.exit(2);
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(folder)) {
        files = s.filter(f -> f.getFileName().toString().endsWith(".kbbl")).sorted().collect(Collectors.toList());
      }
      for (Path f : files) {
        String name = f.getFileName().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteVocabulary.writeTables(f.toString(), Files.readAllBytes(f), out);
        Files.write(folder.resolve(name.substring(0, name.length() - ".kbbl".length()) + ".kbbt"), out.toByteArray());
      }
    }
  }
}
