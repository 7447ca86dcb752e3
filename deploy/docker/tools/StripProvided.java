import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes a copy of the job jar without the entries that the image's {@code lib/} jars already hold.
 *
 * <p>The cluster jar ({@code jobs -Pcluster-jar}) shades ND4J, JavaCPP and FFmpeg with their native
 * libraries (~180 MB; ~800 MB with the CUDA backend). The image puts those jars in Flink's {@code
 * lib/} instead, so that their statics and loaded natives outlive job restarts (STACK.md, pitfalls
 * 3 and 8); a second copy in the job jar would only be dead weight, or, loaded child-first, the
 * very problem {@code lib/} avoids. {@code META-INF/} is kept whole (manifest, merged service
 * files, notices).
 *
 * <pre>
 * java StripProvided.java job-cluster.jar lib/ usrlib/job.jar
 * </pre>
 *
 * <p>Prints what it removed. Run by {@code deploy/docker/build.sh} with the JDK that runs Maven.
 */
public final class StripProvided {
  private StripProvided() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: java StripProvided.java <job jar> <lib dir> <output jar>");
      System.exit(2);
    }
    Path in = Path.of(args[0]);
    Path lib = Path.of(args[1]);
    Path out = Path.of(args[2]);

    Set<String> provided = new HashSet<>();
    int jars = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(lib, "*.jar")) {
      for (Path jar : ds) {
        jars++;
        try (ZipFile z = new ZipFile(jar.toFile())) {
          z.stream()
              .filter(e -> !e.isDirectory() && !e.getName().startsWith("META-INF/"))
              .forEach(e -> provided.add(e.getName()));
        }
      }
    }
    if (jars == 0) {
      System.err.println("StripProvided: no jars in " + lib);
      System.exit(1);
    }

    long kept = 0;
    long removed = 0;
    long removedBytes = 0;
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (ZipFile z = new ZipFile(in.toFile());
        OutputStream os = Files.newOutputStream(out);
        ZipOutputStream zos = new ZipOutputStream(os)) {
      for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        if (!e.isDirectory() && provided.contains(e.getName())) {
          removed++;
          removedBytes += e.getSize();
          continue;
        }
        ZipEntry copy = new ZipEntry(e.getName());
        copy.setTime(e.getTime());
        zos.putNextEntry(copy);
        try (InputStream is = z.getInputStream(e)) {
          is.transferTo(zos);
        }
        zos.closeEntry();
        kept++;
      }
    }
    System.out.printf(
        "StripProvided: %s -> %s: kept %d entries, removed %d (%d MB uncompressed) that %d jars"
            + " in %s provide; %d MB -> %d MB%n",
        in,
        out,
        kept,
        removed,
        removedBytes >> 20,
        jars,
        lib,
        Files.size(in) >> 20,
        Files.size(out) >> 20);
  }
}
