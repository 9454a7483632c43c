package dev.kopeck.gateway;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official {@code openai} npm SDK, run by node from the folder the build put it in
 * ({@code target/node/node_modules/openai}): the tests' client, as a Node service would call the
 * gateway. Where node or the package is missing, the test that needs it is skipped, saying so.
 */
final class NodeClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private NodeClient() {}

  /** Skips the calling test, saying why, when node or the SDK is missing. */
  static Path requireNode() {
    Path dir = Path.of(System.getProperty("kopeck.node.dir", "target/node"));
    boolean node;
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      node = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      node = false;
    }
    assumeTrue(node, "skipped: node is not on the PATH; the gateway's SDK tests need Node.js 20 or later");
    assumeTrue(Files.isRegularFile(dir.resolve("node_modules/openai/package.json")),
        "skipped: the openai npm package is not in " + dir + " (the build's generate-test-resources fetches it)");
    return dir;
  }

  /** Runs {@code steps} in one node process against {@code base}; one JSON answer per step. */
  static List<JsonNode> run(URI base, ArrayNode steps) throws Exception {
    Path dir = requireNode();
    Path script = dir.resolve("openai-client.mjs");
    try (InputStream in = NodeClient.class.getResourceAsStream("openai-client.mjs")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path file = Files.createTempFile(dir, "steps", ".json");
    try {
      Files.writeString(file, steps.toString());
      Process p = new ProcessBuilder("node", script.toString(), base.toString(), file.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("node did not finish");
      }
      List<JsonNode> answers = new ArrayList<>();
      for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          answers.add(JSON.readTree(line));
        }
      }
      if (p.exitValue() != 0 || answers.size() != steps.size()) {
        throw new AssertionError("node exited " + p.exitValue() + " with " + answers);
      }
      return answers;
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
