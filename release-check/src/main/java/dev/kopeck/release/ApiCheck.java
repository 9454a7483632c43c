package dev.kopeck.release;

import dev.kopeck.release.Project.Module;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * An API breaks only on purpose: japicmp has compared each published module's jar with its baseline
 * (api/ARTIFACT.jar) and written target/japicmp/api.xml; every type it finds changed incompatibly (for a caller's
 * binary or its source) must be named, by its fully qualified name, in CHANGELOG.md's Unreleased section.
 */
final class ApiCheck {
  static final String REPORT = "target/japicmp/api.xml";
  private static final Pattern UNRELEASED = Pattern.compile("(?ms)^## \\[Unreleased\\][^\\n]*\\n(.*?)(?=^## |\\z)");

  private ApiCheck() {}

  static List<String> problems(Project project, String changelog) {
    String unreleased = unreleased(changelog);
    List<String> problems = new ArrayList<>();
    for (Module m : project.published()) {
      if (!m.isJar()) {
        continue;
      }
      Path baseline = project.root.resolve("api").resolve(m.artifactId() + ".jar");
      if (!Files.isRegularFile(baseline)) {
        problems.add(m.artifactId() + ": no API baseline api/" + m.artifactId() + ".jar: run build/api-baseline.sh");
        continue;
      }
      Path report = m.dir().resolve(REPORT);
      if (!Files.isRegularFile(report)) {
        problems.add(m.artifactId() + ": no API report " + project.root.relativize(report) + " (japicmp runs in mvn verify)");
        continue;
      }
      breaks(report).forEach((type, changes) -> {
        if (!names(unreleased, type)) {
          problems.add(m.artifactId() + ": " + type + " breaks the API of api/" + m.artifactId() + ".jar (" + String.join(", ", changes)
              + "): name " + type + " in CHANGELOG.md under ## [Unreleased], or undo the change");
        }
      });
    }
    return problems;
  }

  /** The Unreleased section's text; empty when there is none. */
  static String unreleased(String changelog) {
    Matcher m = UNRELEASED.matcher(changelog);
    return m.find() ? m.group(1) : "";
  }

  /** Whether the text names the type (nested types with . or $), as a whole name: not a prefix of a longer one. */
  static boolean names(String text, String type) {
    for (String name : List.of(type, type.replace('$', '.'))) {
      if (Pattern.compile("(?<![\\w.$])" + Pattern.quote(name) + "(?![\\w$])").matcher(text).find()) {
        return true;
      }
    }
    return false;
  }

  /** The types japicmp's report finds incompatible, each with the kinds of its incompatible changes. */
  static Map<String, Set<String>> breaks(Path report) {
    Element root;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      root = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException(report + ": " + e.getMessage(), e);
    }
    Map<String, Set<String>> out = new TreeMap<>();
    NodeList classes = root.getElementsByTagName("class");
    for (int i = 0; i < classes.getLength(); i++) {
      Element c = (Element) classes.item(i);
      if (!incompatible(c)) {
        continue;
      }
      Set<String> kinds = new TreeSet<>();
      NodeList changes = c.getElementsByTagName("compatibilityChange");
      for (int j = 0; j < changes.getLength(); j++) {
        Element change = (Element) changes.item(j);
        if (incompatible(change)) {
          kinds.add(change.getAttribute("type"));
        }
      }
      out.put(c.getAttribute("fullyQualifiedName"), kinds);
    }
    return out;
  }

  private static boolean incompatible(Element e) {
    return "false".equals(e.getAttribute("binaryCompatible")) || "false".equals(e.getAttribute("sourceCompatible"));
  }
}
