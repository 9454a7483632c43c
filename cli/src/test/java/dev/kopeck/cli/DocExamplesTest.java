package dev.kopeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java example in the README and docs/ compiles against the API as it is. An example says
 * what it assumes in the comment above it: {@code <!-- given: String body; Estimator est | Object
 * refuse(Admission.Refusal r) -->} (variables, then after {@code |} methods, which get empty bodies).
 */
class DocExamplesTest {
  private static final Pattern EXAMPLE = Pattern.compile(
      "<!-- given:([^|>]*)(?:\\|([^>]*))?-->\\s*\\n```java\\n(.*?)```", Pattern.DOTALL);
  private static final String IMPORTS = Stream.of("dev.kopeck.base", "dev.kopeck.budget", "dev.kopeck.budget.redis",
          "dev.kopeck.tokens", "dev.kopeck.tokens.media", "dev.kopeck.pricing.money", "dev.kopeck.pricing.tariff", "dev.kopeck.pricing.usage",
          "dev.kopeck.pricing.cost", "dev.kopeck.pricing.catalog", "dev.kopeck.core.model", "dev.kopeck.core.estimate", "dev.kopeck.core.reconcile", "dev.kopeck.core.guard", "dev.kopeck.okhttp", "okhttp3", "dev.kopeck.jdkhttp", "java.net.http",
          "dev.kopeck.langchain4j", "dev.kopeck.micrometer", "java.util", "java.time",
          "java.nio.file", "java.math")
      .map(p -> "import " + p + ".*;\n").reduce("", String::concat);

  static Stream<Arguments> examples() throws IOException {
    List<Arguments> out = new ArrayList<>();
    List<Path> files = new ArrayList<>(List.of(Path.of("../README.md")));
    try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    for (Path f : files) {
      String md = Files.readString(f, StandardCharsets.UTF_8);
      long fences = Pattern.compile("```java").matcher(md).results().count();
      Matcher m = EXAMPLE.matcher(md);
      int n = 0;
      while (m.find()) {
        n++;
        out.add(Arguments.of(f.getFileName() + " #" + n, m.group(1).trim(), m.group(2) == null ? "" : m.group(2).trim(),
            m.group(3)));
      }
      // an example without its "given" comment would be skipped silently: refuse that
      assertThat(n).as(f + ": every ```java example has a <!-- given: --> comment above it").isEqualTo(fences);
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void compiles(String where, String variables, String methods, String code) {
    StringBuilder src = new StringBuilder(IMPORTS).append("class Example {\n");
    for (String decl : methods.split(";")) {
      String d = decl.trim();
      if (!d.isEmpty()) {
        src.append("  static ").append(d).append(d.startsWith("void ") ? " {}\n" : " { return null; }\n");
      }
    }
    src.append("  static Object example(").append(String.join(", ", variables.isEmpty() ? new String[0]
        : variables.split(";\\s*"))).append(") throws Exception {\n").append(code).append("  return null;\n  }\n}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String cp = System.getProperty("java.class.path") + File.pathSeparator
        + System.getProperty("jdk.module.path", "");
    StringWriter errors = new StringWriter();
    JavaFileObject file = new Source(src.toString());
    Path out;
    try {
      out = Files.createTempDirectory("kopeck-doc-example");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    boolean ok = javac.getTask(errors, null, null, List.of("-classpath", cp, "-d", out.toString(), "-proc:none"),
        null, List.of(file)).call();
    assertThat(ok).as(where + " does not compile:\n" + errors + "\n" + src).isTrue();
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String text) {
      super(URI.create("string:///Example.java"), JavaFileObject.Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }
}
