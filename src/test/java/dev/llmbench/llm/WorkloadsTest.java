package dev.llmbench.llm;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.llm.run.BenchConfig;
import dev.llmbench.report.model.LoadParameters;
import dev.llmbench.tokenizer.PromptTokens;
import dev.llmbench.workload.Profiles;
import dev.llmbench.workload.Size;
import dev.llmbench.workload.Ticket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadsTest {

  private static BenchConfig config(Map<String, String> props) {
    return BenchConfig.from(Props.of(props));
  }

  @Test
  void fullMatrixSkipsWhatExceedsTheContextWithANote() {
    Workloads.Plan plan = Workloads.matrix(config(Map.of("size", "full")), 4096);
    List<Ticket> tickets = plan.phases().get(0).tickets();
    assertEquals(1, plan.phases().get(0).workers(), "one stream at a time");
    // Within 4096 tokens: the 5 core configs; every extended one is larger (the smallest, 4096/256, is 4352).
    assertTrue(tickets.stream().allMatch(t -> t.inputTokens() + t.outputTokens() <= 4096));
    assertEquals(5 * (2 + 3), tickets.size(), "core configs, 2 warm-ups + 3 runs each");
    assertEquals(11, plan.notes().size(), "every extended config is skipped with a note");
    assertTrue(plan.notes().stream().anyMatch(n -> n.contains("matrix-65536-256") && n.contains("4096")));
    assertEquals(2, tickets.stream().filter(t -> t.group().equals("matrix-1024-1024") && t.warmup()).count());
    assertEquals(3, tickets.stream().filter(t -> t.group().equals("matrix-1024-1024") && !t.warmup()).count());
  }

  @Test
  void unknownContextRunsEveryConfig() {
    Workloads.Plan plan = Workloads.matrix(config(Map.of("size", "full")), null);
    assertEquals(16 * 5, plan.phases().get(0).tickets().size());
    assertTrue(plan.notes().isEmpty());
  }

  @Test
  void nothingFitsIsAClearError() {
    ConfigException e = assertThrows(ConfigException.class, () -> Workloads.matrix(config(Map.of("size", "full")), 100));
    assertTrue(e.getMessage().contains("max.model.len"), e.getMessage());
  }

  @Test
  void theServingPlanResolvesPromptsAndConcurrencyFromTheProfile() {
    Profiles.RandomProfile p = Profiles.load().random("random-256-256");
    Workloads.Plan plan = Workloads.serving(config(Map.of("profile", p.name())));
    assertEquals(p.numPrompts(Size.SMOKE), plan.numPrompts(), "the profile's prompt count, given or not");
    assertEquals(p.maxConcurrency(Size.SMOKE), plan.maxConcurrency(), "the profile's concurrency, given or not");
    Workloads.Plan unlimited = Workloads.serving(config(Map.of("profile", p.name(), "size", "full")));
    assertNull(unlimited.maxConcurrency(), "no limit at full size");
    assertEquals(1, Workloads.matrix(config(Map.of()), null).maxConcurrency(), "the matrix runs one stream at a time");
  }

  @Test
  void thePlanCarriesTheLoadAsRecordedWithTheProfilesDefaultsResolved() {
    Profiles.RandomProfile p = Profiles.load().random("random-256-256");
    LoadParameters load = Workloads.serving(config(Map.of("profile", p.name(), "random.output.len", "16",
        "request.rate", "2,inf"))).load();
    assertEquals(List.of(p.inputLen(), 16), List.of(load.inputLen(), load.outputLen()), "the profile's, or as given");
    assertEquals(p.rangeRatio(), load.rangeRatio());
    assertEquals(p.numPrompts(Size.SMOKE), load.numPrompts());
    assertEquals(List.of("2.0", "inf"), load.requestRates());
    assertEquals("smoke", load.size());
    assertNull(load.httpKeepAlive(), "recorded only when off");
    assertNull(load.arrivalSchedule(), "recorded only when not bench_serving's");
    LoadParameters matrix = Workloads.matrix(config(Map.of()), null).load();
    assertNull(matrix.inputLen(), "the matrix has no random profile's lengths");
    assertNull(matrix.numPrompts());
    assertEquals(1, matrix.maxConcurrency().limit());
  }

  @Test
  void servingPlanHasAWarmUpPhaseBeforeEachRateStep() {
    Workloads.Plan plan = Workloads.serving(config(Map.of("profile", "random-256-256", "num.prompts", "10",
        "request.rate", "2,4", "max.concurrency", "3")));
    List<String> names = plan.phases().stream().map(Phase::name).toList();
    assertEquals(List.of("random-256-256@rate=2 warm-up", "random-256-256@rate=2", "random-256-256@rate=4 warm-up",
        "random-256-256@rate=4"), names);
    Phase measured = plan.phases().get(1);
    assertEquals(10, measured.tickets().size());
    assertEquals(3, measured.workers(), "max.concurrency caps the workers");
    assertEquals(10, plan.numPrompts());
    assertEquals(3, plan.maxConcurrency());
    assertTrue(plan.phases().get(0).tickets().stream().allMatch(Ticket::warmup));
    assertTrue(plan.phases().get(0).tickets().stream().allMatch(t -> t.outputTokens() <= 32), "short warm-ups");
    assertTrue(measured.tickets().stream().noneMatch(Ticket::warmup));
    long[] arrivals = measured.tickets().stream().mapToLong(Ticket::arrivalOffsetNanos).toArray();
    for (int i = 1; i < arrivals.length; i++) {
      assertTrue(arrivals[i] >= arrivals[i - 1], "arrivals in order");
    }
    assertTrue(arrivals[arrivals.length - 1] > 0, "a finite rate spreads the arrivals");
  }

  @Test
  void vllmsArrivalScheduleEndsEachRateStepAtExactlyItsPromptsOverItsRate() {
    Workloads.Plan plan = Workloads.serving(config(Map.of("profile", "random-256-256", "num.prompts", "10",
        "request.rate", "2,4", "arrival.schedule", "vllm")));
    for (int step = 0; step < 2; step++) {
      List<Ticket> measured = plan.phases().get(2 * step + 1).tickets();
      double rate = step == 0 ? 2 : 4;
      assertTrue(measured.get(0).arrivalOffsetNanos() > 0, "the first waits its gap too");
      assertEquals(Math.round(10 / rate * 1e9), measured.get(9).arrivalOffsetNanos(), 1, "rate " + rate);
    }
  }

  /** A prompt file's prompts are planned by the sizing method's count (a tokenizer file's, exactly), not by words. */
  @Test
  void aPromptFilesPlannedLengthsAreCountedByThePromptsMethod(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("prompts.jsonl");
    Files.writeString(file, "{\"prompt\": \"one two three\"}\n{\"prompt\": \"four five\"}\n");
    PromptTokens characters = new PromptTokens() { // a stand-in tokenizer: one token a character
      @Override
      public Method method() {
        return Method.TOKENIZER_FILE;
      }

      @Override
      public Built build(int tokens, Random random) {
        throw new UnsupportedOperationException("a prompt file has its prompts");
      }

      @Override
      public int count(String text) {
        return text.length();
      }
    };
    Map<String, String> props = Map.of("prompt.file", file.toString(), "warmup.requests", "0");
    List<Ticket> counted = Workloads.serving(config(props), characters).phases().get(0).tickets();
    assertEquals(List.of(13, 9), counted.stream().map(Ticket::inputTokens).toList());
    List<Ticket> words = Workloads.serving(config(props)).phases().get(0).tickets();
    assertEquals(List.of(3, 2), words.stream().map(Ticket::inputTokens).toList(), "the word tokenizer counts words");
  }

  @Test
  void aSimulationsOwnInjectionProfileRecordsItsPromptsSoThatABaselineComparesTheSamePrompts() {
    BenchConfig c = BenchConfig.from(Props.of(Map.of("profile", "random-4096-1024")));
    Workloads.Plan own = Workloads.own(c);
    assertEquals(List.of(), own.phases());
    assertEquals(4096, own.load().inputLen());
    assertEquals(1024, own.load().outputLen());
    assertEquals(null, own.load().maxConcurrency(), "the injection profile decides how many run at once");
    assertEquals(null, own.maxConcurrency());
  }
}
