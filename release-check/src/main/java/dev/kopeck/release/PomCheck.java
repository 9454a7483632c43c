package dev.kopeck.release;

import static dev.kopeck.release.Project.child;
import static dev.kopeck.release.Project.children;
import static dev.kopeck.release.Project.text;

import dev.kopeck.release.Project.Module;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.w3c.dom.Element;

/**
 * What Maven Central requires of a published POM (groupId, artifactId, version, name, description, url, licences,
 * developers, scm), read as a consumer's Maven reads it: a module's own element, else its parent's (kopeck-parent
 * tells Maven not to append the artifactId to the url and scm it passes on). Besides: kopeck-bom lists every
 * published module, kopeck-release-check depends on each (so it runs after them), and a module that lists licences
 * of its own (data under another licence) carries META-INF/NOTICE in its jar.
 */
final class PomCheck {
  static final String BOM = "kopeck-bom";
  static final String SELF = "kopeck-release-check";

  private PomCheck() {}

  static List<String> problems(Project project) {
    List<String> problems = new ArrayList<>();
    for (Module m : project.published()) {
      problems.addAll(problems(project, m));
    }
    Module bom = project.find(BOM);
    Module self = project.find(SELF);
    Set<String> inBom = bom == null ? Set.of() : managed(bom.pom());
    Set<String> inSelf = self == null ? Set.of() : dependencies(self.pom());
    if (bom != null && !project.version().equals(text(bom.pom(), "version"))) {
      problems.add(BOM + ": version " + text(bom.pom(), "version") + " is not the parent's " + project.version()
          + ": bom/pom.xml states its version itself");
    }
    for (Module m : project.published()) {
      if (m == project.parent || m.artifactId().equals(BOM)) {
        continue;
      }
      if (bom != null && !inBom.contains(m.artifactId())) {
        problems.add(m.artifactId() + " is published but not in " + BOM + ": add it to bom/pom.xml's dependencyManagement");
      }
      if (self != null && !inSelf.contains(m.artifactId())) {
        problems.add(m.artifactId() + " is published but " + SELF + " does not depend on it (so may be built before it):"
            + " add it to release-check/pom.xml");
      }
    }
    for (String artifact : inBom) {
      Module m = project.find(artifact);
      if (m == null || !m.published()) {
        problems.add(BOM + " lists " + artifact + ", which is not a published module: remove it from bom/pom.xml");
      }
    }
    return problems;
  }

  static List<String> problems(Project project, Module m) {
    List<String> problems = new ArrayList<>();
    Element pom = m.pom();
    Element parentRef = child(pom, "parent");
    boolean inherits = parentRef != null && project.parent.artifactId().equals(text(parentRef, "artifactId"));
    Element parent = inherits ? project.parent.pom() : null;
    String where = (m.artifactId() == null ? m.dir().toString() : m.artifactId()) + " (" + project.root.relativize(m.dir().resolve("pom.xml")) + ")";

    if (text(pom, "groupId") == null && (parentRef == null || text(parentRef, "groupId") == null)) {
      problems.add(where + ": no groupId");
    }
    if (text(pom, "version") == null && (parentRef == null || text(parentRef, "version") == null)) {
      problems.add(where + ": no version");
    }
    for (String own : List.of("artifactId", "name", "description")) {
      if (text(pom, own) == null) {
        problems.add(where + ": no " + own);
      }
    }
    Element root = project.parent.pom();
    String url = text(pom, "url");
    if (url == null && parent != null) {
      url = text(parent, "url");
      if (url != null && !"false".equals(root.getAttribute("child.project.url.inherit.append.path"))) {
        problems.add(where + ": inherits url with its artifactId appended: set child.project.url.inherit.append.path=\"false\" on the parent's project");
      }
    }
    if (url == null || !url.startsWith("https://")) {
      problems.add(where + ": no url (https://...)");
    }
    Element licenses = inherited(pom, parent, "licenses");
    List<Element> licenceList = licenses == null ? List.of() : children(licenses, "license");
    if (licenceList.isEmpty()) {
      problems.add(where + ": no licenses");
    }
    for (Element l : licenceList) {
      if (text(l, "name") == null || text(l, "url") == null) {
        problems.add(where + ": a licence without name or url");
      }
    }
    Element developers = inherited(pom, parent, "developers");
    if (developers == null || children(developers, "developer").stream().noneMatch(d -> text(d, "name") != null)) {
      problems.add(where + ": no developers (each with a name)");
    }
    Element scm = inherited(pom, parent, "scm");
    for (String part : List.of("connection", "developerConnection", "url")) {
      if (scm == null || text(scm, part) == null) {
        problems.add(where + ": no scm " + part);
      } else if (scm != child(pom, "scm") && !"false".equals(scm.getAttribute("child.scm." + part + ".inherit.append.path"))) {
        problems.add(where + ": inherits scm " + part + " with its artifactId appended: set child.scm." + part
            + ".inherit.append.path=\"false\" on the parent's scm");
      }
    }
    if (m.isJar() && child(pom, "licenses") != null && parent != null
        && !Files.isRegularFile(m.dir().resolve("target/classes/META-INF/NOTICE"))) {
      problems.add(where + ": lists licences of its own (bundled data) but its jar has no META-INF/NOTICE:"
          + " add src/main/resources/META-INF/NOTICE");
    }
    return problems;
  }

  private static Element inherited(Element pom, Element parent, String name) {
    Element own = child(pom, name);
    return own != null || parent == null ? own : child(parent, name);
  }

  private static Set<String> managed(Element pom) {
    Element dm = child(pom, "dependencyManagement");
    return dm == null ? Set.of() : dependencies(dm);
  }

  private static Set<String> dependencies(Element holder) {
    Set<String> out = new TreeSet<>();
    Element deps = child(holder, "dependencies");
    if (deps != null) {
      for (Element d : children(deps, "dependency")) {
        if ("dev.kopeck".equals(text(d, "groupId"))) {
          out.add(text(d, "artifactId"));
        }
      }
    }
    return out;
  }
}
