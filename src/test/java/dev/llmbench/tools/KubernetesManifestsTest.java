package dev.llmbench.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests of a sharded run (deploy/k8s/, docs/scaling-out.md) are loaded into fabric8's
 * typed model, as a cluster would read them, and agree with each other: the Indexed Job's N is the count
 * its command passes, the merge names every shard, both mount the same volume, the key comes from a
 * Secret. No cluster and no Docker: fabric8's mock API server (CRUD mode) stands in for the API server.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("deploy/k8s");
  private static final Pattern COUNT = Pattern.compile("-Dinjector\\.count=(\\d+)");
  private static final Pattern SIMULATION = Pattern.compile("-Dgatling\\.simulationClass=(\\S+)");
  /** The Secret `kubectl create secret generic` makes (docs/scaling-out.md); the key is never elsewhere. */
  private static final String SECRET = "llmbench-api-key";
  /** The ConfigMap the docs' `kubectl create configmap llmbench-start` makes just before the shards. */
  private static final String START = "llmbench-start";

  /** The mock server logs every request at INFO through java.util.logging; held, or its level goes with it. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private static <T> T load(String file, Class<T> type) throws IOException {
    try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
      T object = Serialization.unmarshal(in, type);
      assertNotNull(object, file);
      // fabric8 keeps a field it does not know (a typo, a wrong level) instead of failing: a cluster
      // would reject it or, worse, ignore it.
      assertEquals(List.of(), unknownFields(object, file), "fields the Kubernetes model does not know");
      return object;
    }
  }

  private static List<String> unknownFields(Object object, String name) {
    List<String> unknown = new ArrayList<>();
    unknownFields(object, name, unknown);
    return unknown;
  }

  /** Every field the model did not map, by path: fabric8's objects keep them in additionalProperties. */
  private static void unknownFields(Object o, String path, List<String> out) {
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        unknownFields(e, path + "[" + i++ + "]", out);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, path + "." + k, out));
      return;
    }
    if (o == null || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : o.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(o);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(path + "." + getter.getName(), e);
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        ((Map<?, ?>) value).keySet().forEach(k -> out.add(path + "." + k));
      } else {
        unknownFields(value, path + "." + getter.getName().substring(3), out);
      }
    }
  }

  private static Job job(String file) throws IOException {
    return load(file, Job.class);
  }

  private static PodSpec pod(Job job) {
    return job.getSpec().getTemplate().getSpec();
  }

  private static Container container(Job job) {
    List<Container> containers = pod(job).getContainers();
    assertEquals(1, containers.size(), job.getMetadata().getName());
    return containers.get(0);
  }

  /** The container's command line as bash runs it: command, then the script. */
  private static String script(Job job) {
    Container c = container(job);
    assertEquals(List.of("bash", "-c"), c.getCommand(), job.getMetadata().getName());
    assertEquals(1, c.getArgs().size(), job.getMetadata().getName());
    return c.getArgs().get(0);
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no env " + name));
  }

  private static int injectorCount(String script) {
    Matcher m = COUNT.matcher(script);
    assertTrue(m.find(), "the shards' command passes -Dinjector.count: " + script);
    int count = Integer.parseInt(m.group(1));
    assertFalse(m.find(), "one -Dinjector.count");
    return count;
  }

  /** The mount of the volume backed by the results claim: its path is where the scripts write. */
  private static VolumeMount resultsMount(Job job, String claim) {
    Volume volume = pod(job).getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName().equals(claim))
        .findFirst().orElseThrow(() -> new AssertionError(job.getMetadata().getName() + " does not mount " + claim));
    return container(job).getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName()))
        .findFirst().orElseThrow(() -> new AssertionError(volume.getName() + " is not mounted"));
  }

  private static Properties properties(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  @Test
  void everyManifestLoadsAsItsKubernetesType() throws IOException {
    Map<String, Class<? extends HasMetadata>> types = new TreeMap<>(Map.of(
        "configmap.yaml", ConfigMap.class, "pvc.yaml", PersistentVolumeClaim.class,
        "shards-job.yaml", Job.class, "merge-job.yaml", Job.class, "score-job.yaml", Job.class,
        "fetch-pod.yaml", Pod.class));
    try (Stream<Path> files = Files.list(DIR)) {
      // A new manifest gets its type here, so it is loaded and checked too.
      assertEquals(types.keySet(), files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
    }
    for (var e : types.entrySet()) {
      HasMetadata object = load(e.getKey(), e.getValue());
      assertEquals(e.getValue().getSimpleName(), object.getKind(), e.getKey());
      assertEquals("llm-serving-bench", object.getMetadata().getLabels().get("app.kubernetes.io/name"), e.getKey());
    }
  }

  @Test
  void theIndexedJobRunsAsManyShardsAsItsCommandCountsFromOneStartTime() throws Exception {
    Job shards = job("shards-job.yaml");
    assertEquals("Indexed", shards.getSpec().getCompletionMode());
    String script = script(shards);
    int n = injectorCount(script);
    assertTrue(n >= 2, "a sharded run has at least two injectors: " + n);
    assertEquals(n, shards.getSpec().getCompletions());
    assertEquals(n, shards.getSpec().getParallelism(), "every shard runs at once: they share one start time");
    // A retried shard would start after start.at and be refused: no retries.
    assertEquals(0, shards.getSpec().getBackoffLimit());
    assertEquals("Never", pod(shards).getRestartPolicy());

    assertTrue(script.contains("mvn -o -B gatling:test"), script);
    assertTrue(script.contains("-Dstart.at=\"${START_AT}\""), script);
    // The index is JOB_COMPLETION_INDEX, which the project reads itself (docs/scaling-out.md).
    assertFalse(script.contains("-Dinjector.index"), script);
    var start = env(container(shards), "START_AT").getValueFrom().getConfigMapKeyRef();
    assertEquals(START, start.getName());
    assertEquals("start.at", start.getKey());

    Matcher simulation = SIMULATION.matcher(script);
    assertTrue(simulation.find(), script);
    assertEquals("simulations.ServingSimulation", simulation.group(1));
    // The class exists (ClassNotFoundException otherwise): a renamed simulation breaks this, not a run.
    Class.forName(simulation.group(1), false, getClass().getClassLoader());
  }

  @Test
  void theMergeJobNamesEveryShardOnTheSameVolumeAndStartTime() throws IOException {
    PersistentVolumeClaim pvc = load("pvc.yaml", PersistentVolumeClaim.class);
    assertEquals(List.of("ReadWriteMany"), pvc.getSpec().getAccessModes(), "shards on several nodes write at once");
    String claim = pvc.getMetadata().getName();
    Job shards = job("shards-job.yaml");
    Job merge = job("merge-job.yaml");

    VolumeMount shardMount = resultsMount(shards, claim);
    VolumeMount mergeMount = resultsMount(merge, claim);
    assertEquals(shardMount.getMountPath(), mergeMount.getMountPath());
    assertFalse(Boolean.TRUE.equals(mergeMount.getReadOnly()), "the merge writes reports/ on the volume");

    String shardScript = script(shards);
    String mergeScript = script(merge);
    String run = "run=\"" + shardMount.getMountPath() + "/run-${START_AT}\"";
    assertTrue(shardScript.contains(run), shardScript);
    assertTrue(mergeScript.contains(run), mergeScript);
    assertTrue(shardScript.contains("shard=\"${run}/shard-${JOB_COMPLETION_INDEX}\""), shardScript);
    int n = injectorCount(shardScript);
    for (int i = 0; i < n + 1; i++) {
      assertEquals(i < n, mergeScript.contains("\"${run}/shard-" + i + "\""), "the merge names shard " + i + " of " + n);
    }
    assertEquals(env(container(shards), "START_AT").getValueFrom(), env(container(merge), "START_AT").getValueFrom());
    assertTrue(mergeScript.contains("exec:java@merge"), mergeScript);
    assertTrue(mergeScript.contains("-Dllmbench.reports.dir=\"${run}/reports\""), mergeScript);
    assertEquals(0, merge.getSpec().getBackoffLimit());
    assertNull(merge.getSpec().getCompletionMode(), "one merge");
  }

  @Test
  void theApiKeyComesFromTheSecretAndNeverFromTheConfigMap() throws IOException {
    for (String file : List.of("shards-job.yaml", "score-job.yaml")) {
      EnvVar key = env(container(job(file)), "OPENAI_API_KEY");
      assertNull(key.getValue(), file);
      assertEquals(SECRET, key.getValueFrom().getSecretKeyRef().getName(), file);
      assertEquals("OPENAI_API_KEY", key.getValueFrom().getSecretKeyRef().getKey(), file);
      assertFalse(script(job(file)).contains("api.key"), file);
    }
    assertFalse(container(job("merge-job.yaml")).getEnv().stream().anyMatch(e -> e.getName().equals("OPENAI_API_KEY")),
        "the merge sends nothing to the server");

    ConfigMap profile = load("configmap.yaml", ConfigMap.class);
    assertEquals(List.of("score.properties", "serving.properties"), List.copyOf(new TreeMap<>(profile.getData()).keySet()));
    for (var e : profile.getData().entrySet()) {
      Properties p = properties(e.getValue());
      assertFalse(p.isEmpty(), e.getKey());
      for (String k : p.stringPropertyNames()) {
        assertFalse(k.equals("api.key") || k.contains("OPENAI"), e.getKey() + ": the key is in the Secret");
        // The Jobs set these; a second value in the ConfigMap would fight them.
        assertFalse(k.startsWith("injector.") || k.equals("start.at"), e.getKey() + ": " + k);
      }
    }
  }

  @Test
  void everyJobReadsTheProfileItsScriptNamesFromTheConfigMap() throws IOException {
    ConfigMap profile = load("configmap.yaml", ConfigMap.class);
    for (String file : List.of("shards-job.yaml", "score-job.yaml")) {
      Job job = job(file);
      Volume volume = pod(job).getVolumes().stream()
          .filter(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals(profile.getMetadata().getName()))
          .findFirst().orElseThrow(() -> new AssertionError(file + " does not mount " + profile.getMetadata().getName()));
      VolumeMount mount = container(job).getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName()))
          .findFirst().orElseThrow();
      String script = script(job);
      Matcher m = Pattern.compile(Pattern.quote(mount.getMountPath()) + "/(\\S+\\.properties)").matcher(script);
      assertTrue(m.find(), file + " reads a properties file of the ConfigMap: " + script);
      assertTrue(profile.getData().containsKey(m.group(1)), file + " reads " + m.group(1));
    }
  }

  @Test
  void theScoreJobIsTheRunbooksStandardBenchmarkWithItsBaseline() throws IOException {
    Job score = job("score-job.yaml");
    assertNull(score.getSpec().getCompletionMode(), "one injector");
    String script = script(score);
    assertTrue(script.contains("mvn -o -B gatling:test -Dgatling.simulationClass=simulations.ScoreSimulation -Dprofile=standard"), script);
    assertFalse(properties(load("configmap.yaml", ConfigMap.class).getData().get("score.properties")).containsKey("profile"),
        "the Job's -Dprofile=standard is the runbook's");
    assertFalse(script.contains("injector."), script);
    assertEquals(0, score.getSpec().getBackoffLimit(), "a regression is the answer, not a glitch to retry");

    String baseline = env(container(score), "BENCHMARK_BASELINE").getValue();
    Volume volume = pod(score).getVolumes().stream().filter(v -> v.getConfigMap() != null
        && v.getConfigMap().getName().equals("llmbench-score-baseline")).findFirst().orElseThrow();
    VolumeMount mount = container(score).getVolumeMounts().stream().filter(m -> m.getName().equals(volume.getName()))
        .findFirst().orElseThrow();
    assertEquals(mount.getMountPath() + "/score-standard.csv", baseline);
  }

  @Test
  void aMisspelledOrMisplacedFieldIsCaught() {
    Job job = Serialization.unmarshal("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: typo}
        spec:
          completionmode: Indexed
          completions: 3
          template:
            spec:
              containers: [{name: c, image: i, volumeMount: []}]
        """, Job.class);
    assertNull(job.getSpec().getCompletionMode());
    assertEquals(List.of("typo.Spec.completionmode", "typo.Spec.Template.Spec.Containers[0].volumeMount"),
        unknownFields(job, "typo"));
  }

  /** Only this test needs an API server, and the extension starts one per test of its class. */
  @Nested
  @EnableKubernetesMockClient(crud = true)
  class OnTheMockApiServer {
    /** Set by the mock server's JUnit extension. */
    static KubernetesClient client;

    @Test
    void theMockApiServerAcceptsTheManifestsAndReturnsThemUnchanged() throws IOException {
      ConfigMap profile = load("configmap.yaml", ConfigMap.class);
      PersistentVolumeClaim pvc = load("pvc.yaml", PersistentVolumeClaim.class);
      client.resource(profile).create();
      client.resource(pvc).create();
      for (String file : List.of("shards-job.yaml", "merge-job.yaml", "score-job.yaml")) {
        Job job = job(file);
        client.resource(job).create();
        Job back = client.batch().v1().jobs().withName(job.getMetadata().getName()).get();
        assertNotNull(back, file);
        assertEquals(job.getSpec(), back.getSpec(), file);
      }
      assertEquals(profile.getData(), client.configMaps().withName(profile.getMetadata().getName()).get().getData());
      assertEquals(pvc.getSpec(), client.persistentVolumeClaims().withName(pvc.getMetadata().getName()).get().getSpec());
      assertEquals(List.of("llmbench-merge", "llmbench-score", "llmbench-shards"),
          client.batch().v1().jobs().withLabel("app.kubernetes.io/name", "llm-serving-bench").list().getItems().stream()
              .map(j -> j.getMetadata().getName()).sorted().toList());
    }
  }
}
