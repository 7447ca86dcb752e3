package org.tttvideo.jobs.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What the build says the deployment must agree with, read from the poms (not from copies of them):
 * the project, Flink and Java versions, the cluster jar's name, and ND4J's CUDA backend of the
 * profile {@code cuda}.
 *
 * @param projectVersion the project's version, {@code 0.1.0-SNAPSHOT}
 * @param flinkVersion the root pom's {@code flink.version}, {@code 2.2.1}
 * @param javaVersion the root pom's {@code maven.compiler.release}, {@code 17}
 * @param clusterJar the file name of jobs' cluster jar, {@code ttt-video-jobs-<v>-cluster.jar}
 * @param cudaBackend the ND4J artifact of compute-nd4j's profile cuda, {@code nd4j-cuda-11.6}
 */
record BuildFacts(
    String projectVersion,
    String flinkVersion,
    String javaVersion,
    String clusterJar,
    String cudaBackend) {

  /** The facts of the checkout at {@code root}. */
  static BuildFacts read(Path root) {
    Document parent = xml(root.resolve("pom.xml"));
    Document jobs = xml(root.resolve("jobs/pom.xml"));
    Document computeNd4j = xml(root.resolve("compute-nd4j/pom.xml"));
    String version = text(parent.getDocumentElement(), "version");
    String artifact = text(jobs.getDocumentElement(), "artifactId");
    String classifier = descendant(jobs.getDocumentElement(), "shadedClassifierName");
    String cuda = null;
    NodeList profiles = computeNd4j.getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element p = (Element) profiles.item(i);
      if ("cuda".equals(text(p, "id"))) {
        cuda = descendant(p, "nd4j.backend");
      }
    }
    return new BuildFacts(
        version,
        property(parent, "flink.version"),
        property(parent, "maven.compiler.release"),
        artifact + "-" + version + "-" + classifier + ".jar",
        cuda);
  }

  /** {@code v2_2} for Flink 2.2.x: the operator's name of this Flink version. */
  String operatorFlinkVersion() {
    String[] p = flinkVersion.split("\\.");
    return "v" + p[0] + "_" + p[1];
  }

  /** {@code 11.6} of {@code nd4j-cuda-11.6}. */
  String cudaVersion() {
    Matcher m = Pattern.compile("nd4j-cuda-([0-9.]+)").matcher(String.valueOf(cudaBackend));
    return m.matches() ? m.group(1) : null;
  }

  private static Document xml(Path file) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(Files.newInputStream(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot parse " + file + ": " + e, e);
    }
  }

  private static String property(Document pom, String name) {
    Element props = child(pom.getDocumentElement(), "properties");
    String v = props == null ? null : text(props, name);
    if (v == null) {
      throw new IllegalStateException("no <" + name + "> in the root pom's <properties>");
    }
    return v;
  }

  /** The text of the direct child {@code name} of {@code e}. */
  private static String text(Element e, String name) {
    Element c = child(e, name);
    return c == null ? null : c.getTextContent().trim();
  }

  private static Element child(Element e, String name) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static String descendant(Element e, String name) {
    NodeList l = e.getElementsByTagName(name);
    return l.getLength() == 0 ? null : l.item(0).getTextContent().trim();
  }
}
