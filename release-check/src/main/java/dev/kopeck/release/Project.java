package dev.kopeck.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The root POM and its modules, read as the files are (no Maven model): what the checks compare. */
final class Project {
  /** One module's POM; {@code published} unless it sets maven.deploy.skip (the root, kopeck-parent, is one too). */
  record Module(Path dir, Element pom, String artifactId, String packaging, boolean published) {
    boolean isJar() {
      return packaging.equals("jar");
    }
  }

  final Path root;
  final Module parent;
  final List<Module> modules;

  private Project(Path root, Module parent, List<Module> modules) {
    this.root = root;
    this.parent = parent;
    this.modules = modules;
  }

  static Project read(Path root) {
    Module parent = module(root);
    List<Module> modules = new ArrayList<>();
    modules.add(parent);
    Element list = child(parent.pom(), "modules");
    if (list != null) {
      for (Element m : children(list, "module")) {
        modules.add(module(root.resolve(m.getTextContent().trim())));
      }
    }
    return new Project(root, parent, List.copyOf(modules));
  }

  String version() {
    return text(parent.pom(), "version");
  }

  List<Module> published() {
    return modules.stream().filter(Module::published).toList();
  }

  Module find(String artifactId) {
    return modules.stream().filter(m -> m.artifactId().equals(artifactId)).findFirst().orElse(null);
  }

  private static Module module(Path dir) {
    Path file = dir.resolve("pom.xml");
    Element pom;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      pom = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException(file + ": " + e.getMessage(), e);
    }
    Element properties = child(pom, "properties");
    boolean skip = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
    String packaging = text(pom, "packaging");
    return new Module(dir, pom, text(pom, "artifactId"), packaging == null ? "jar" : packaging, !skip);
  }

  /** The first child element of that name, or null. */
  static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The trimmed text of the child element of that name; null when it is missing or blank. */
  static String text(Element parent, String name) {
    Element e = child(parent, name);
    String text = e == null ? "" : e.getTextContent().trim();
    return text.isEmpty() ? null : text;
  }

  static boolean exists(Path file) {
    return Files.isRegularFile(file);
  }
}
