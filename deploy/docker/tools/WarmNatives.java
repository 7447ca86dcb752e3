import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;

/**
 * Fills JavaCPP's cache directory at image build time, so that a task manager never unpacks the
 * ~0.5 GB (CPU) or ~1 GB (CUDA) of native libraries of ND4J, OpenBLAS and FFmpeg when it starts.
 *
 * <p>Run it with the image's {@code lib/} on the class path and the same {@code
 * -Dorg.bytedeco.javacpp.cachedir} as the Flink processes: JavaCPP names a cached library after the
 * jar it came from, so the cache is only reused for the very same jars at the very same paths.
 *
 * <pre>
 * java -Dorg.bytedeco.javacpp.cachedir=/opt/ttt-video/javacpp-cache \
 *     -cp "/opt/flink/lib/*:/opt/ttt-video/tools" WarmNatives nd4j ffmpeg
 * </pre>
 *
 * <p>Targets:
 *
 * <ul>
 *   <li>{@code nd4j}: initialises ND4J's backend and runs one small product (the CPU image);
 *   <li>{@code ffmpeg}: loads libavutil, libswresample, libavcodec, libavformat and libswscale, the
 *       libraries the MP4 encoder and probe use (not libavdevice, which needs PulseAudio);
 *   <li>a class name: {@code Loader.load} of that JavaCPP class, which unpacks and links its
 *       libraries without initialising anything (the CUDA image, built without a GPU).
 * </ul>
 *
 * <p>With {@code --allow-link-errors} a {@link LinkageError} is reported and ignored: JavaCPP
 * unpacks every library before it links it, so the cache is filled all the same. Any other failure
 * exits with status 1, which fails the image build.
 *
 * <p>Written against JavaCPP only; ND4J and JavaCV are reached by reflection, so this compiles with
 * one jar on the class path ({@code deploy/docker/build.sh} does it).
 */
public final class WarmNatives {
  private static final String[] FFMPEG = {
    "org.bytedeco.ffmpeg.global.avutil",
    "org.bytedeco.ffmpeg.global.swresample",
    "org.bytedeco.ffmpeg.global.avcodec",
    "org.bytedeco.ffmpeg.global.avformat",
    "org.bytedeco.ffmpeg.global.swscale"
  };

  private WarmNatives() {}

  public static void main(String[] args) throws Exception {
    boolean allowLinkErrors = false;
    List<String> targets = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--allow-link-errors")) {
        allowLinkErrors = true;
      } else {
        targets.add(a);
      }
    }
    if (targets.isEmpty()) {
      System.err.println(
          "usage: WarmNatives [--allow-link-errors] (nd4j | ffmpeg | <JavaCPP class>)...");
      System.exit(2);
    }
    String dir = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (dir == null || dir.isBlank()) {
      System.err.println(
          "WarmNatives: set -Dorg.bytedeco.javacpp.cachedir to the directory the Flink processes"
              + " use (env.java.opts.all); JavaCPP's default, ~/.javacpp/cache, is not it");
      System.exit(2);
    }
    Path cache = Path.of(dir);
    int failures = 0;
    for (String target : targets) {
      long start = System.nanoTime();
      try {
        switch (target) {
          case "nd4j" -> nd4j();
          case "ffmpeg" -> {
            for (String c : FFMPEG) {
              load(c);
            }
          }
          default -> load(target);
        }
        System.out.printf(
            "WarmNatives: %s loaded in %d ms%n", target, (System.nanoTime() - start) / 1_000_000);
      } catch (LinkageError e) {
        if (!allowLinkErrors) {
          throw e;
        }
        System.out.printf(
            "WarmNatives: %s unpacked but not linked here (%s); it links on the task manager%n",
            target, e);
      } catch (RuntimeException | ReflectiveOperationException e) {
        System.err.println("WarmNatives: " + target + " failed: " + e);
        e.printStackTrace();
        failures++;
      }
    }
    long[] files = summary(cache);
    System.out.printf("WarmNatives: %s holds %d files, %d MB%n", cache, files[0], files[1] >> 20);
    if (files[0] == 0) {
      System.err.println("WarmNatives: nothing was cached in " + cache);
      failures++;
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  /** ND4J's backend (its natives, and OpenBLAS on the CPU) and one 2x2 product. */
  private static void nd4j() throws ReflectiveOperationException {
    Class<?> nd4j = Class.forName("org.nd4j.linalg.factory.Nd4j");
    Object backend = nd4j.getMethod("getBackend").invoke(null);
    Method rand = nd4j.getMethod("rand", int[].class);
    Object a = rand.invoke(null, (Object) new int[] {2, 2});
    Object product =
        a.getClass()
            .getMethod("mmul", Class.forName("org.nd4j.linalg.api.ndarray.INDArray"))
            .invoke(a, a);
    System.out.println(
        "WarmNatives: ND4J backend " + backend.getClass().getName() + ", 2x2 product " + product);
  }

  private static void load(String className) throws ClassNotFoundException {
    Class<?> c = Class.forName(className);
    String path = Loader.load(c);
    System.out.println("WarmNatives: " + className + " -> " + path);
  }

  /** Number of files and bytes under {@code dir}. */
  private static long[] summary(Path dir) {
    if (!Files.isDirectory(dir)) {
      return new long[] {0, 0};
    }
    try (Stream<Path> s = Files.walk(dir)) {
      long[] r = new long[2];
      s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .map(Path::toFile)
          .mapToLong(File::length)
          .forEach(
              n -> {
                r[0]++;
                r[1] += n;
              });
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
