package org.tttvideo.jobs.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.tttvideo.jobs.GenerationJobOptions;

/**
 * Checks the Kubernetes manifests ({@code deploy/k8s}) and the Dockerfiles ({@code deploy/docker})
 * against the build and against each other, for the mistakes that deploy without an error and fail
 * later: a Flink configuration key Flink does not have (it is ignored), a deprecated key, an image
 * tag or jar path of another build, topics the job does not use, containers without resource
 * requests, a GPU TaskManager that could land on a GPU ND4J cannot run on.
 *
 * <pre>{@code
 * List<String> problems = new ManifestChecker(BuildFacts.read(root), FlinkOptionKeys.fromClassPath())
 *     .check(root.resolve("deploy/k8s"), root.resolve("deploy/docker"));
 * // [] when all is well; else one line per problem, naming the file, the field and the value
 * }</pre>
 */
final class ManifestChecker {
  /**
   * The S3 file systems are plugins outside this class path. They forward {@code s3.*} to the
   * Hadoop S3A or Presto configuration; these are the keys Flink's "Amazon S3" page documents.
   */
  static final Set<String> S3_KEYS =
      Set.of(
          "s3.access-key",
          "s3.secret-key",
          "s3.access.key",
          "s3.secret.key",
          "s3.endpoint",
          "s3.path.style.access",
          "s3.path-style-access",
          "s3.entropy.key",
          "s3.entropy.length");

  /** Parameters of Flink's GPU driver (GPUDriverOptions, in the plugin outside this class path). */
  static final Set<String> GPU_DRIVER_PARAMS =
      Set.of("discovery-script.path", "discovery-script.args");

  static final String GPU_DRIVER_FACTORY = "org.apache.flink.externalresource.gpu.GPUDriverFactory";

  /**
   * Major compute capabilities ND4J 1.0.0-M2.1's CUDA 11.6 build has SASS for (sm_37, 50, 52, 60,
   * 61, 70, 75, 80, 86; no PTX; STACK.md section 6). A GPU of another major (Hopper 9, Blackwell
   * 10/12) loads the library and fails every kernel.
   */
  static final Set<String> ND4J_CUDA_MAJORS = Set.of("3", "5", "6", "7", "8");

  static final String GPU_COMPUTE_MAJOR_LABEL = "nvidia.com/gpu.compute.major";
  static final String MAIN_CONTAINER = "flink-main-container";
  static final String USRLIB = "/opt/flink/usrlib/";

  private static final YAMLMapper YAML = new YAMLMapper();

  private final BuildFacts build;
  private final FlinkOptionKeys keys;
  private final List<String> problems = new ArrayList<>();

  ManifestChecker(BuildFacts build, FlinkOptionKeys keys) {
    this.build = build;
    this.keys = keys;
  }

  /** A YAML document of a manifest file. */
  record Doc(String file, JsonNode node) {
    String kind() {
      return node.path("kind").asText();
    }

    String name() {
      return node.path("metadata").path("name").asText();
    }

    String where() {
      return file + " " + kind() + "/" + name();
    }
  }

  /** Every problem of the manifests in {@code k8sDir} and the Dockerfiles in {@code dockerDir}. */
  List<String> check(Path k8sDir, Path dockerDir) {
    problems.clear();
    List<Doc> docs = load(k8sDir);
    Map<String, DockerfileText> dockerfiles = new LinkedHashMap<>();
    for (String f : List.of("Dockerfile", "Dockerfile.gpu")) {
      Path p = dockerDir.resolve(f);
      if (Files.isRegularFile(p)) {
        dockerfiles.put(f, DockerfileText.read(p));
      } else {
        problem("%s: no %s", dockerDir, f);
      }
    }
    String buildSh = read(dockerDir.resolve("build.sh"));
    checkDockerfiles(dockerfiles, buildSh);

    List<Doc> flink = ofKind(docs, "FlinkDeployment");
    List<Doc> kafkas = ofKind(docs, "Kafka");
    if (flink.size() != 1) {
      problem("kustomization: expected one FlinkDeployment, found %s", flink.size());
    }
    if (kafkas.size() != 1) {
      problem("kustomization: expected one Kafka, found %s", kafkas.size());
    }
    for (Doc d : docs) {
      checkPodResources(d, d.node(), "");
    }
    Doc kafka = kafkas.isEmpty() ? null : kafkas.get(0);
    if (kafka != null) {
      checkKafka(kafka, docs);
    }
    for (Doc fd : flink) {
      checkFlinkDeployment(fd, docs, kafka, dockerfiles, buildSh);
    }
    return List.copyOf(problems);
  }

  // ---------------------------------------------------------------- loading

  private List<Doc> load(Path dir) {
    List<Doc> docs = new ArrayList<>();
    Path kustomization = dir.resolve("kustomization.yaml");
    JsonNode k = readYaml(kustomization).stream().findFirst().orElse(null);
    if (k == null) {
      problem("%s: missing or empty", kustomization);
      return docs;
    }
    String namespace = k.path("namespace").asText(null);
    if (namespace == null) {
      problem("kustomization.yaml: no namespace");
    }
    for (JsonNode c : k.path("configurations")) {
      if (!Files.isRegularFile(dir.resolve(c.asText()))) {
        problem("kustomization.yaml: configurations lists %s, which is missing", c.asText());
      }
    }
    for (JsonNode r : k.path("resources")) {
      Path file = dir.resolve(r.asText());
      if (!Files.isRegularFile(file)) {
        problem("kustomization.yaml: resources lists %s, which is missing", r.asText());
        continue;
      }
      for (JsonNode n : readYaml(file)) {
        Doc d = new Doc(r.asText(), n);
        if (d.kind().isEmpty() || d.name().isEmpty() || n.path("apiVersion").asText().isEmpty()) {
          problem("%s: a document without apiVersion, kind or metadata.name", r.asText());
          continue;
        }
        String ns = n.path("metadata").path("namespace").asText(null);
        if (ns != null && namespace != null && !ns.equals(namespace)) {
          problem(
              "%s: metadata.namespace %s is not the kustomization's %s", d.where(), ns, namespace);
        }
        docs.add(d);
      }
    }
    for (Doc d : ofKind(docs, "RoleBinding")) {
      for (JsonNode s : d.node().path("subjects")) {
        if (s.path("kind").asText().equals("ServiceAccount")
            && !s.path("namespace").asText().equals(namespace)) {
          problem(
              "%s: subject ServiceAccount %s must name the namespace %s, has '%s'",
              d.where(), s.path("name").asText(), namespace, s.path("namespace").asText());
        }
      }
    }
    return docs;
  }

  private List<JsonNode> readYaml(Path file) {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && n.isObject()) {
          out.add(n);
        }
      }
    } catch (IOException e) {
      problem("%s: not valid YAML: %s", file.getFileName(), e.getMessage());
    }
    return out;
  }

  private String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      problem("%s: cannot be read (%s)", file, e);
      return "";
    }
  }

  private static List<Doc> ofKind(List<Doc> docs, String kind) {
    return docs.stream().filter(d -> d.kind().equals(kind)).toList();
  }

  /** Adds a problem: {@code format} with {@code %s} for each argument. */
  private void problem(String format, Object... args) {
    problems.add(args.length == 0 ? format : String.format(format, args));
  }

  // ---------------------------------------------------------------- FlinkDeployment

  private void checkFlinkDeployment(
      Doc fd, List<Doc> docs, Doc kafka, Map<String, DockerfileText> dockerfiles, String buildSh) {
    JsonNode spec = fd.node().path("spec");
    String w = fd.where();
    expect(w, "apiVersion", fd.node().path("apiVersion").asText(), "flink.apache.org/v1beta1");
    expect(
        w, "spec.flinkVersion", spec.path("flinkVersion").asText(), build.operatorFlinkVersion());

    Map<String, String> conf = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : spec.path("flinkConfiguration").properties()) {
      conf.put(e.getKey(), scalar(e.getValue()));
      if (!e.getValue().isTextual()) {
        // the operator's CRD types flinkConfiguration as a map of strings
        problem(
            "%s: flinkConfiguration %s: %s is a YAML %s; the FlinkDeployment CRD takes strings only (quote it)",
            w,
            e.getKey(),
            e.getValue(),
            e.getValue().getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
      }
    }
    checkFlinkConfiguration(w, conf);

    // GPUs through the external resource framework
    List<String> resources = list(conf.get("external-resources"));
    long gpus = 0;
    for (String r : resources) {
      String configKey = conf.get("external-resource." + r + ".kubernetes.config-key");
      String factory = conf.get("external-resource." + r + ".driver-factory.class");
      if ("nvidia.com/gpu".equals(configKey) || GPU_DRIVER_FACTORY.equals(factory)) {
        gpus =
            parseLong(
                w,
                "external-resource." + r + ".amount",
                conf.get("external-resource." + r + ".amount"));
        if (!GPU_DRIVER_FACTORY.equals(factory)) {
          problem(
              "%s: external-resource.%s.driver-factory.class must be %s (without it operators get no GPU index), is %s",
              w, r, GPU_DRIVER_FACTORY, factory);
        }
        if (!"nvidia.com/gpu".equals(configKey)) {
          problem(
              "%s: external-resource.%s.kubernetes.config-key must be nvidia.com/gpu, is %s",
              w, r, configKey);
        }
      }
    }
    // The operator merges the pod templates' container lists by position unless told to merge
    // them by name: the main container must come first in each, or settings land on a sidecar.
    for (String t : List.of("podTemplate", "jobManager.podTemplate", "taskManager.podTemplate")) {
      JsonNode pt =
          t.contains(".") ? spec.path(t.split("\\.")[0]).path("podTemplate") : spec.path(t);
      JsonNode first = pt.path("spec").path("containers").path(0);
      if (!first.isMissingNode() && !first.path("name").asText().equals(MAIN_CONTAINER)) {
        problem(
            "%s: spec.%s: the first container is '%s', not %s",
            w, t, first.path("name").asText(), MAIN_CONTAINER);
      }
    }
    // ... and so are lists inside the main container: an env list in the common template and
    // another in a role's template overwrite each other entry by entry.
    JsonNode common = container(spec.path("podTemplate"), MAIN_CONTAINER);
    for (String role : List.of("jobManager", "taskManager")) {
      JsonNode own = container(spec.path(role).path("podTemplate"), MAIN_CONTAINER);
      for (Map.Entry<String, JsonNode> e : own.properties()) {
        if (e.getValue().isArray() && common.path(e.getKey()).isArray()) {
          problem(
              "%s: %s in both spec.podTemplate and spec.%s.podTemplate (%s): the operator merges"
                  + " the lists by position, so entries of one replace entries of the other",
              w, e.getKey(), role, MAIN_CONTAINER);
        }
      }
    }
    String slots = conf.getOrDefault("taskmanager.numberOfTaskSlots", "1");
    JsonNode tmMain = container(spec.path("taskManager").path("podTemplate"), MAIN_CONTAINER);
    JsonNode jmMain = container(spec.path("jobManager").path("podTemplate"), MAIN_CONTAINER);
    String tmGpuLimit = tmMain.path("resources").path("limits").path("nvidia.com/gpu").asText(null);
    if (jmMain.path("resources").path("limits").has("nvidia.com/gpu")) {
      problem("%s: the JobManager asks for a GPU; only TaskManagers compute", w);
    }

    Map<String, String> args = jobArgs(w, spec.path("job"));
    Configuration job = jobOptions(w, args);
    String backend = job == null ? null : job.get(GenerationJobOptions.BACKEND);
    String image = spec.path("image").asText();
    String gpuSuffix = shellVar(buildSh, "GPU_TAG_SUFFIX");
    if (gpus > 0) {
      if (!String.valueOf(gpus).equals(slots)) {
        problem(
            "%s: taskmanager.numberOfTaskSlots is %s but each TaskManager has %s GPU(s): one slot per GPU",
            w, slots, gpus);
      }
      if (!String.valueOf(gpus).equals(tmGpuLimit)) {
        problem(
            "%s: spec.taskManager.podTemplate %s resources.limits nvidia.com/gpu is %s, not the external resource amount %s",
            w, MAIN_CONTAINER, tmGpuLimit, gpus);
      }
      if (!"nd4j".equals(backend)) {
        problem(
            "%s: GPU TaskManagers with model.backend %s: only nd4j computes on a GPU", w, backend);
      }
      expect(w, "spec.image tag", tag(image), build.projectVersion() + gpuSuffix);
      checkGpuAffinity(w, spec.path("taskManager").path("podTemplate"));
      if (!hasToleration(spec.path("taskManager").path("podTemplate"), "nvidia.com/gpu")) {
        problem(
            "%s: GPU TaskManagers without a toleration for nvidia.com/gpu (GPU nodes are usually tainted)",
            w);
      }
    } else {
      if (tmGpuLimit != null) {
        problem(
            "%s: a GPU limit on TaskManagers without the external resource gpu: operators get no GPU index",
            w);
      }
      expect(w, "spec.image tag", tag(image), build.projectVersion());
    }
    if (!image.startsWith("ttt-video/flink:")) {
      problem(
          "%s: spec.image %s is not the image deploy/docker/build.sh builds (ttt-video/flink:<tag>; set a registry with kustomize images)",
          w, image);
    }

    // the job jar and entry class
    JsonNode jobSpec = spec.path("job");
    expect(
        w,
        "spec.job.jarURI",
        jobSpec.path("jarURI").asText(),
        "local://" + USRLIB + build.clusterJar());
    checkEntryClass(w, jobSpec.path("entryClass").asText());
    if (jobSpec.path("parallelism").asInt(0) < 1) {
      problem("%s: spec.job.parallelism must be at least 1", w);
    }
    String upgrade = jobSpec.path("upgradeMode").asText("stateless");
    if (!upgrade.equals("stateless")
        && !conf.containsKey("execution.checkpointing.savepoint-dir")) {
      problem("%s: upgradeMode %s needs execution.checkpointing.savepoint-dir", w, upgrade);
    }

    // JVM options: the Vector API module and JavaCPP's cache directory of the images
    String opts = conf.getOrDefault("env.java.opts.all", "");
    if (!opts.matches(".*--add-modules[= ]jdk\\.incubator\\.vector.*")) {
      problem(
          "%s: env.java.opts.all lacks --add-modules jdk.incubator.vector (the vector backend and the model need it)",
          w);
    }
    Matcher cache = Pattern.compile("-Dorg\\.bytedeco\\.javacpp\\.cachedir=(\\S+)").matcher(opts);
    if (!cache.find()) {
      problem(
          "%s: env.java.opts.all lacks -Dorg.bytedeco.javacpp.cachedir (JavaCPP would unpack ~0.5 GB into ~/.javacpp on every start)",
          w);
    } else {
      for (DockerfileText d : dockerfiles.values()) {
        expect(
            w, "the JavaCPP cache dir of " + d.name(), cache.group(1), d.env("JAVACPP_CACHE_DIR"));
      }
    }
    List<String> parentFirst =
        List.of(conf.getOrDefault("classloader.parent-first-patterns.additional", "").split(";"));
    for (String p : List.of("org.nd4j.", "org.bytedeco.")) {
      if (!parentFirst.contains(p)) {
        problem(
            "%s: classloader.parent-first-patterns.additional lacks %s (the images keep ND4J/JavaCPP/FFmpeg in lib/)",
            w, p);
      }
    }

    // state and output on S3, with an S3 plugin and credentials
    Set<String> plugins = new LinkedHashSet<>();
    for (JsonNode pt :
        List.of(
            spec.path("podTemplate"),
            spec.path("jobManager").path("podTemplate"),
            spec.path("taskManager").path("podTemplate"))) {
      for (JsonNode env : container(pt, MAIN_CONTAINER).path("env")) {
        if (env.path("name").asText().equals("ENABLE_BUILT_IN_PLUGINS")) {
          plugins.addAll(List.of(env.path("value").asText().split(";")));
        }
      }
    }
    for (String plugin : plugins) {
      if (!plugin.matches("flink-[a-z0-9-]+-" + Pattern.quote(build.flinkVersion()) + "\\.jar")) {
        problem(
            "%s: ENABLE_BUILT_IN_PLUGINS names %s, not a jar of Flink %s (the entrypoint exits when opt/ lacks it)",
            w, plugin, build.flinkVersion());
      }
      for (DockerfileText d : dockerfiles.values()) {
        if (d.all("RUN").stream().map(d::expand).noneMatch(r -> r.contains("/opt/" + plugin))) {
          problem(
              "%s: does not check that opt/%s (enabled in %s) exists", d.name(), plugin, fd.file());
        }
      }
    }
    Map<String, String> s3 = new LinkedHashMap<>();
    s3.put("execution.checkpointing.dir", conf.get("execution.checkpointing.dir"));
    s3.put(
        "execution.checkpointing.savepoint-dir", conf.get("execution.checkpointing.savepoint-dir"));
    s3.put("high-availability.storageDir", conf.get("high-availability.storageDir"));
    s3.put("output.dir (job)", job == null ? null : job.get(GenerationJobOptions.OUTPUT_DIR));
    for (Map.Entry<String, String> e : s3.entrySet()) {
      String v = e.getValue();
      if (v == null || !v.startsWith("s3://")) {
        problem(
            "%s: %s is %s; it must be on shared storage (s3://...): pods come and go",
            w, e.getKey(), v);
      } else if (plugins.stream().noneMatch(p -> p.startsWith("flink-s3-fs-"))) {
        problem(
            "%s: %s is on S3 but ENABLE_BUILT_IN_PLUGINS enables no flink-s3-fs-* plugin",
            w, e.getKey());
      }
    }

    // HA needs a service account that may edit ConfigMaps and pods
    if ("kubernetes".equals(conf.get("high-availability.type"))) {
      String sa = spec.path("serviceAccount").asText(null);
      if (sa == null) {
        problem("%s: Kubernetes HA without spec.serviceAccount", w);
      } else {
        checkServiceAccount(w, sa, docs);
      }
    }

    // resources of the JobManager and TaskManagers (the operator makes them requests)
    for (String role : List.of("jobManager", "taskManager")) {
      JsonNode r = spec.path(role).path("resource");
      if (!(r.path("cpu").asDouble(0) > 0)) {
        problem("%s: spec.%s.resource.cpu is not set", w, role);
      }
      try {
        MemorySize.parse(r.path("memory").asText());
      } catch (RuntimeException e) {
        problem(
            "%s: spec.%s.resource.memory '%s' is not a memory size",
            w, role, r.path("memory").asText());
      }
    }

    if (job != null) {
      checkTopics(w, job, docs);
      if (kafka != null) {
        checkKafkaClient(w, job, kafka);
      }
    }
  }

  private void checkFlinkConfiguration(String w, Map<String, String> conf) {
    Configuration parsed = Configuration.fromMap(conf);
    List<String> resources = list(conf.get("external-resources"));
    for (Map.Entry<String, String> e : conf.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("s3.")) {
        if (!S3_KEYS.contains(key)) {
          problem(
              "%s: flinkConfiguration key '%s' is not an S3 file system key Flink documents (%s)",
              w, key, new TreeSet<>(S3_KEYS));
        }
        continue;
      }
      if (key.startsWith("external-resource.")) {
        String name = key.substring("external-resource.".length()).split("\\.", 2)[0];
        if (!resources.contains(name)) {
          problem(
              "%s: flinkConfiguration key '%s' is for external resource '%s', which external-resources %s does not list (ignored)",
              w, key, name, resources);
        }
        String paramPrefix = "external-resource." + name + ".param.";
        if (key.startsWith(paramPrefix)
            && GPU_DRIVER_FACTORY.equals(
                conf.get("external-resource." + name + ".driver-factory.class"))
            && !GPU_DRIVER_PARAMS.contains(key.substring(paramPrefix.length()))) {
          problem(
              "%s: flinkConfiguration key '%s' is not a parameter of the GPU driver %s",
              w, key, new TreeSet<>(GPU_DRIVER_PARAMS));
        }
      }
      Optional<FlinkOptionKeys.Found> found = keys.lookup(key);
      if (found.isEmpty()) {
        problem(
            "%s: flinkConfiguration key '%s' is not a Flink option (Flink ignores it)%s",
            w, key, hint(key));
        continue;
      }
      FlinkOptionKeys.Found f = found.get();
      if (f.deprecated()) {
        problem(
            "%s: flinkConfiguration key '%s' is deprecated (%s)%s",
            w, key, f.declaredIn(), (f.replacedBy().isEmpty() ? "" : "; use " + f.replacedBy()));
      }
      if (f.option() != null) {
        try {
          parsed.get(f.option());
        } catch (RuntimeException ex) {
          problem(
              "%s: flinkConfiguration %s: '%s' is not a valid value (%s)",
              w, key, e.getValue(), ex.getMessage());
        }
      }
    }
  }

  private String hint(String key) {
    List<String> similar = keys.similar(key);
    return similar.isEmpty() ? "" : "; did you mean " + String.join(" or ", similar) + "?";
  }

  private Map<String, String> jobArgs(String w, JsonNode job) {
    List<String> a = new ArrayList<>();
    job.path("args").forEach(n -> a.add(n.asText()));
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < a.size(); i++) {
      String k = a.get(i);
      if (!k.startsWith("--") || i + 1 >= a.size() || a.get(i + 1).startsWith("--")) {
        problem("%s: spec.job.args must be --key value pairs; '%s' at %s is not", w, k, i);
        return Map.of();
      }
      out.put(k.substring(2), a.get(++i));
    }
    return out;
  }

  /**
   * The job's options from its arguments, or null with a problem when the job would refuse them.
   */
  private Configuration jobOptions(String w, Map<String, String> args) {
    Set<String> known =
        GenerationJobOptions.ALL.stream().map(ConfigOption::key).collect(Collectors.toSet());
    boolean ok = true;
    for (String k : args.keySet()) {
      if (!known.contains(k) && !k.startsWith("storyboard.")) {
        problem("%s: spec.job.args: --%s is not an option of GenerationJobOptions", w, k);
        ok = false;
      }
    }
    try {
      Configuration c = GenerationJobOptions.fromMap(args);
      GenerationJobOptions.storyboardOptions(c);
      return ok ? c : null;
    } catch (RuntimeException e) {
      problem("%s: spec.job.args: the job refuses them: %s", w, e.getMessage());
      return null;
    }
  }

  private void checkEntryClass(String w, String entryClass) {
    try {
      Method main = Class.forName(entryClass).getMethod("main", String[].class);
      if (!Modifier.isStatic(main.getModifiers())) {
        problem("%s: spec.job.entryClass %s has no static main", w, entryClass);
      }
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      problem(
          "%s: spec.job.entryClass %s is not a class with main(String[]) in the job (%s)",
          w, entryClass, e);
    }
  }

  private void checkGpuAffinity(String w, JsonNode podTemplate) {
    Set<String> majors = null;
    for (JsonNode term :
        podTemplate
            .path("spec")
            .path("affinity")
            .path("nodeAffinity")
            .path("requiredDuringSchedulingIgnoredDuringExecution")
            .path("nodeSelectorTerms")) {
      for (JsonNode m : term.path("matchExpressions")) {
        if (m.path("key").asText().equals(GPU_COMPUTE_MAJOR_LABEL)
            && m.path("operator").asText().equals("In")) {
          majors = new TreeSet<>();
          for (JsonNode v : m.path("values")) {
            majors.add(v.asText());
          }
        }
      }
    }
    if (majors == null) {
      problem(
          "%s: GPU TaskManagers without a required node affinity on %s In %s: they could land on Hopper or Blackwell, where ND4J's CUDA 11.6 build has no kernels",
          w, GPU_COMPUTE_MAJOR_LABEL, new TreeSet<>(ND4J_CUDA_MAJORS));
    } else if (!ND4J_CUDA_MAJORS.containsAll(majors)) {
      Set<String> bad = new TreeSet<>(majors);
      bad.removeAll(ND4J_CUDA_MAJORS);
      problem(
          "%s: the GPU node affinity admits compute capability %s.x, which ND4J's CUDA 11.6 build cannot run on (it has %s)",
          w, bad, new TreeSet<>(ND4J_CUDA_MAJORS));
    }
  }

  private static boolean hasToleration(JsonNode podTemplate, String key) {
    for (JsonNode t : podTemplate.path("spec").path("tolerations")) {
      if (t.path("key").asText().equals(key)) {
        return true;
      }
    }
    return false;
  }

  private void checkServiceAccount(String w, String sa, List<Doc> docs) {
    if (ofKind(docs, "ServiceAccount").stream().noneMatch(d -> d.name().equals(sa))) {
      problem("%s: spec.serviceAccount %s is not defined in the kustomization", w, sa);
      return;
    }
    for (Doc rb : ofKind(docs, "RoleBinding")) {
      boolean binds = false;
      for (JsonNode s : rb.node().path("subjects")) {
        binds |=
            s.path("kind").asText().equals("ServiceAccount") && s.path("name").asText().equals(sa);
      }
      if (!binds) {
        continue;
      }
      String role = rb.node().path("roleRef").path("name").asText();
      for (Doc r : ofKind(docs, "Role")) {
        if (r.name().equals(role)) {
          Set<String> res = new TreeSet<>();
          r.node()
              .path("rules")
              .forEach(rule -> rule.path("resources").forEach(x -> res.add(x.asText())));
          if (res.containsAll(List.of("pods", "configmaps"))) {
            return;
          }
        }
      }
    }
    problem(
        "%s: no Role bound to %s grants pods and configmaps (TaskManager pods, Kubernetes HA)",
        w, sa);
  }

  // ---------------------------------------------------------------- Kafka

  private void checkKafka(Doc kafka, List<Doc> docs) {
    String w = kafka.where();
    JsonNode config = kafka.node().path("spec").path("kafka").path("config");
    int brokers = 0;
    for (Doc pool : ofKind(docs, "KafkaNodePool")) {
      String cluster =
          pool.node().path("metadata").path("labels").path("strimzi.io/cluster").asText();
      if (!cluster.equals(kafka.name())) {
        problem(
            "%s: label strimzi.io/cluster is '%s', not the Kafka %s",
            pool.where(), cluster, kafka.name());
      }
      for (JsonNode role : pool.node().path("spec").path("roles")) {
        if (role.asText().equals("broker")) {
          brokers += pool.node().path("spec").path("replicas").asInt();
        }
      }
    }
    for (String k :
        List.of(
            "default.replication.factor",
            "offsets.topic.replication.factor",
            "transaction.state.log.replication.factor")) {
      int rf = config.path(k).asInt(0);
      if (rf < 1 || rf > brokers) {
        problem("%s: %s is %s with %s brokers", w, k, config.path(k).asText(), brokers);
      }
    }
    if (!config.has("transaction.max.timeout.ms")) {
      problem(
          "%s: transaction.max.timeout.ms not set (the job's exactly-once sinks depend on it)", w);
    }
    for (Doc t : ofKind(docs, "KafkaTopic")) {
      String tw = t.where();
      JsonNode spec = t.node().path("spec");
      String cluster = t.node().path("metadata").path("labels").path("strimzi.io/cluster").asText();
      if (!cluster.equals(kafka.name())) {
        problem(
            "%s: label strimzi.io/cluster is '%s', not the Kafka %s", tw, cluster, kafka.name());
      }
      int replicas = spec.path("replicas").asInt(0);
      int minIsr =
          spec.path("config")
              .path("min.insync.replicas")
              .asInt(config.path("min.insync.replicas").asInt(1));
      if (replicas < 1 || replicas > brokers) {
        problem("%s: replicas %s with %s brokers", tw, replicas, brokers);
      }
      if (minIsr >= replicas) {
        problem(
            "%s: min.insync.replicas %s leaves no replica to lose (replicas %s)",
            tw, minIsr, replicas);
      }
      if (spec.path("partitions").asInt(0) < 1) {
        problem("%s: partitions not set", tw);
      }
      if (!spec.path("config").has("retention.ms")) {
        problem("%s: retention.ms not set", tw);
      }
      if (!spec.path("config").has("max.message.bytes")) {
        problem("%s: max.message.bytes not set", tw);
      }
    }
  }

  /** Topic name of a KafkaTopic: spec.topicName, else metadata.name. */
  private static String topicName(Doc t) {
    return t.node().path("spec").path("topicName").asText(t.name());
  }

  private void checkTopics(String w, Configuration job, List<Doc> docs) {
    Map<String, Doc> topics = new HashMap<>();
    ofKind(docs, "KafkaTopic").forEach(t -> topics.put(topicName(t), t));
    List<ConfigOption<String>> options =
        List.of(
            GenerationJobOptions.TOPIC_STORYBOARDS,
            GenerationJobOptions.TOPIC_VIDEOS,
            GenerationJobOptions.TOPIC_PROGRESS,
            GenerationJobOptions.TOPIC_REJECTED);
    Set<String> used = new TreeSet<>();
    int producerMax =
        (Integer)
            ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    for (ConfigOption<String> o : options) {
      String name = job.get(o);
      used.add(name);
      if (!name.equals(o.defaultValue())) {
        problem(
            "%s: %s is '%s', not the job's default '%s' (local mode and the CLI use the defaults)",
            w, o.key(), name, o.defaultValue());
      }
      Doc t = topics.get(name);
      if (t == null) {
        problem(
            "%s: the job uses topic '%s' (%s), which no KafkaTopic creates (the brokers do not auto-create topics)",
            w, name, o.key());
        continue;
      }
      long max = t.node().path("spec").path("config").path("max.message.bytes").asLong(0);
      if (o == GenerationJobOptions.TOPIC_STORYBOARDS) {
        int payload = GenerationJobOptions.storyboardOptions(job).maxPayloadBytes();
        if (max > 0 && max < payload) {
          problem(
              "%s: max.message.bytes %s is below storyboard.max-payload-bytes %s: the broker, not the job, would refuse such storyboards, without a rejection",
              t.where(), max, payload);
        }
      } else if (max > 0 && max < producerMax) {
        problem(
            "%s: max.message.bytes %s is below what the job's producer may send (max.request.size %s): a refused record fails the sink and restarts the job",
            t.where(), max, producerMax);
      }
    }
    for (String name : topics.keySet()) {
      if (!used.contains(name)) {
        problem("%s: topic '%s' is not used by the job (%s)", topics.get(name).where(), name, used);
      }
    }
  }

  private void checkKafkaClient(String w, Configuration job, Doc kafka) {
    Set<String> plainPorts = new TreeSet<>();
    for (JsonNode l : kafka.node().path("spec").path("kafka").path("listeners")) {
      if (!l.path("tls").asBoolean(false) && l.path("type").asText().equals("internal")) {
        plainPorts.add(l.path("port").asText());
      }
    }
    String service = kafka.name() + "-kafka-bootstrap";
    for (String server : job.get(GenerationJobOptions.BOOTSTRAP_SERVERS).split(",")) {
      String[] hp = server.trim().split(":");
      String host = hp[0];
      boolean hostOk = host.equals(service) || host.startsWith(service + ".");
      if (!hostOk || hp.length != 2 || !plainPorts.contains(hp[1])) {
        problem(
            "%s: kafka.bootstrap-servers %s is not %s:<port of a plain internal listener %s>",
            w, server, service, plainPorts);
      }
    }
    long brokerMax =
        kafka
            .node()
            .path("spec")
            .path("kafka")
            .path("config")
            .path("transaction.max.timeout.ms")
            .asLong(Duration.ofMinutes(15).toMillis());
    Duration timeout = job.get(GenerationJobOptions.TRANSACTION_TIMEOUT);
    if (timeout.toMillis() > brokerMax) {
      problem(
          "%s: kafka.transaction-timeout %s exceeds the brokers' transaction.max.timeout.ms %s: the exactly-once sinks fail to start",
          w, timeout, brokerMax);
    }
    for (JsonNode l : kafka.node().path("spec").path("kafka").path("listeners")) {
      List<JsonNode> peers = new ArrayList<>();
      l.path("networkPolicyPeers").forEach(peers::add);
      if (!peers.isEmpty() && !l.path("tls").asBoolean(false)) {
        String app = w.substring(w.lastIndexOf('/') + 1);
        boolean admitted =
            peers.stream()
                .anyMatch(
                    p ->
                        p.path("podSelector").path("matchLabels").path("app").asText().equals(app));
        if (!admitted) {
          problem(
              "%s: listener %s admits no pods labelled app=%s (Flink's pods of that FlinkDeployment)",
              kafka.where(), l.path("name").asText(), app);
        }
      }
    }
  }

  // ---------------------------------------------------------------- resources of every container

  /** Every {@code containers} / {@code initContainers} entry needs cpu and memory requests. */
  private void checkPodResources(Doc d, JsonNode node, String path) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers"))
                    && e.getValue().isArray()) {
                  for (JsonNode c : e.getValue()) {
                    checkContainer(d, p, c);
                  }
                }
                checkPodResources(d, e.getValue(), p);
              });
    } else if (node.isArray()) {
      for (JsonNode n : node) {
        checkPodResources(d, n, path);
      }
    }
    if (path.isEmpty()) {
      checkStrimziResources(d);
    }
  }

  private void checkContainer(Doc d, String path, JsonNode c) {
    String name = c.path("name").asText();
    if (d.kind().equals("FlinkDeployment") && name.equals(MAIN_CONTAINER)) {
      return; // the operator sets its requests from jobManager/taskManager.resource
    }
    JsonNode req = c.path("resources").path("requests");
    for (String r : List.of("cpu", "memory")) {
      if (!req.has(r)) {
        problem("%s: %s container %s has no %s request", d.where(), path, name, r);
      }
    }
  }

  private void checkStrimziResources(Doc d) {
    List<JsonNode> parts = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (d.kind().equals("KafkaNodePool")) {
      parts.add(d.node().path("spec"));
      names.add("spec.resources");
    } else if (d.kind().equals("Kafka")) {
      JsonNode eo = d.node().path("spec").path("entityOperator");
      for (String op : List.of("topicOperator", "userOperator")) {
        if (eo.has(op)) {
          parts.add(eo.path(op));
          names.add("spec.entityOperator." + op + ".resources");
        }
      }
      for (String c : List.of("cruiseControl", "kafkaExporter")) {
        if (d.node().path("spec").has(c)) {
          parts.add(d.node().path("spec").path(c));
          names.add("spec." + c + ".resources");
        }
      }
    }
    for (int i = 0; i < parts.size(); i++) {
      JsonNode req = parts.get(i).path("resources").path("requests");
      for (String r : List.of("cpu", "memory")) {
        if (!req.has(r)) {
          problem("%s: %s has no %s request", d.where(), names.get(i), r);
        }
      }
    }
  }

  // ---------------------------------------------------------------- Dockerfiles and build.sh

  private void checkDockerfiles(Map<String, DockerfileText> dockerfiles, String buildSh) {
    String jar = build.clusterJar();
    for (DockerfileText d : dockerfiles.values()) {
      String n = d.name();
      expect(n, "ARG FLINK_VERSION", d.arg("FLINK_VERSION"), build.flinkVersion());
      expect(n, "ARG JAVA_VERSION", d.arg("JAVA_VERSION"), build.javaVersion());
      expect(n, "ARG PROJECT_VERSION", d.arg("PROJECT_VERSION"), build.projectVersion());
      expect(n, "ARG JOB_JAR", d.expand(String.valueOf(d.arg("JOB_JAR"))), jar);
      String flinkImage = "flink:" + build.flinkVersion() + "-java" + build.javaVersion();
      if (d.all("FROM").stream()
          .map(d::expand)
          .noneMatch(f -> f.equals(flinkImage) || f.startsWith(flinkImage + " "))) {
        problem("%s: no FROM %s (the official image of the build's Flink and Java)", n, flinkImage);
      }
      List<String> copies =
          d.all("COPY").stream()
              .map(d::expand)
              .map(s -> s.replace("$FLINK_HOME", "/opt/flink"))
              .toList();
      if (copies.stream()
          .noneMatch(c -> c.endsWith(" " + USRLIB + jar) && c.contains("usrlib/" + jar + " "))) {
        problem("%s: does not COPY usrlib/%s to %s%s", n, jar, USRLIB, jar);
      }
      if (copies.stream().noneMatch(c -> c.endsWith(" lib/ /opt/flink/lib/"))) {
        problem("%s: does not COPY lib/ (ND4J, JavaCPP, FFmpeg) to /opt/flink/lib/", n);
      }
      String cache = d.env("JAVACPP_CACHE_DIR");
      if (cache == null) {
        problem("%s: no ENV JAVACPP_CACHE_DIR", n);
      }
      boolean warmed =
          d.all("RUN").stream()
              .anyMatch(
                  r ->
                      r.contains("WarmNatives")
                          && r.contains("-Dorg.bytedeco.javacpp.cachedir=\"$JAVACPP_CACHE_DIR\""));
      if (!warmed) {
        problem(
            "%s: does not pre-warm JavaCPP's cache (RUN java -Dorg.bytedeco.javacpp.cachedir=\"$JAVACPP_CACHE_DIR\" ... WarmNatives)",
            n);
      }
    }
    DockerfileText gpu = dockerfiles.get("Dockerfile.gpu");
    if (gpu != null) {
      String cuda = build.cudaVersion();
      String base = String.valueOf(gpu.arg("CUDA_IMAGE"));
      if (cuda == null) {
        problem(
            "compute-nd4j/pom.xml: the profile cuda selects no nd4j-cuda-<version> (%s)",
            build.cudaBackend());
      } else if (!base.matches("nvidia/cuda:" + cuda.split("\\.")[0] + "\\.[0-9.]+-.*runtime.*")) {
        problem(
            "Dockerfile.gpu: CUDA_IMAGE %s is not a CUDA %s.x runtime image (ND4J's backend is %s)",
            base, cuda.split("\\.")[0], build.cudaBackend());
      }
      if (gpu.all("RUN").stream()
          .noneMatch(r -> r.contains("WarmNatives") && r.contains("org.nd4j.linalg.jcublas."))) {
        problem(
            "Dockerfile.gpu: does not pre-warm ND4J's CUDA backend (org.nd4j.linalg.jcublas...)");
      }
      expect("build.sh", "GPU_TAG_SUFFIX", shellVar(buildSh, "GPU_TAG_SUFFIX"), "-cuda" + cuda);
    }
    for (String arg : List.of("FLINK_VERSION", "JAVA_VERSION", "PROJECT_VERSION")) {
      if (!buildSh.contains("--build-arg " + arg + "=")) {
        problem("build.sh: does not pass --build-arg %s", arg);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  private void expect(String where, String what, String actual, String expected) {
    if (expected == null || !expected.equals(actual)) {
      problem("%s: %s is '%s', expected '%s'", where, what, actual, expected);
    }
  }

  private long parseLong(String w, String key, String v) {
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      problem("%s: %s is '%s', not a number", w, key, v);
      return 0;
    }
  }

  private static String scalar(JsonNode n) {
    return n.isValueNode() ? n.asText() : n.toString();
  }

  private static List<String> list(String v) {
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return List.of(v.split("[;,]")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static JsonNode container(JsonNode podTemplate, String name) {
    for (JsonNode c : podTemplate.path("spec").path("containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static String tag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : "latest";
  }

  /** {@code NAME=value} of a shell script (first assignment at the start of a line). */
  private static String shellVar(String script, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "=(\\S*)").matcher(script);
    return m.find() ? m.group(1).replaceAll("^[\"']|[\"']$", "") : null;
  }
}
