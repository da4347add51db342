package dev.llmbench.capacity;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmbench.capacity.CapacitySearch.Mode;
import dev.llmbench.capacity.CapacitySearch.Settings;
import dev.llmbench.capacity.CapacitySearch.Stop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.DoublePredicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CapacitySearchTest {

  /** Runs a search against a server that meets the objectives exactly when {@code meets} says so. */
  private static SearchResult run(Settings settings, DoublePredicate meets) {
    CapacitySearch search = new CapacitySearch(settings);
    int i = 0;
    for (OptionalDouble next = search.next(); next.isPresent(); next = search.next()) {
      double load = next.getAsDouble();
      boolean pass = meets.test(load);
      search.record(new StepVerdict(++i, load, "g@x=" + load, 10, pass ? 10 : 5, pass ? 0 : 5, pass ? 0 : 0.5, 1, 1,
          99, Map.of(), null, null, pass, pass ? List.of() : List.of("missed")));
      assertTrue(i <= settings.maxSteps(), "more steps than allowed");
    }
    return search.result();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.3, 1.0, 2.7, 13.67, 99.5, 500})
  void aRateSearchBracketsTheCapacityWithinTheTolerance(double capacity) {
    Settings settings = new Settings(Mode.RATE, 1, 0.05, 1024, 0.05, 30);
    SearchResult r = run(settings, load -> load <= capacity);
    assertEquals(Stop.CONVERGED, r.stop());
    assertTrue(r.answer() <= capacity && r.failedAt() > capacity, r.headline());
    // The bracket is within the tolerance, up to the three significant digits a rate is rounded to.
    assertTrue(r.failedAt() - r.answer() <= 0.05 * r.answer() + 0.01 * r.answer(), r.headline());
    assertTrue(r.passedAtOrBelow() >= 1 && r.failedAbove() >= 1);
  }

  @Test
  void aConcurrencySearchFindsTheExactNumberOfStreams() {
    for (int capacity = 1; capacity <= 70; capacity++) {
      int c = capacity;
      SearchResult r = run(new Settings(Mode.CONCURRENCY, 4, 1, 256, 0.01, 30), load -> load <= c);
      assertEquals(Stop.CONVERGED, r.stop(), r.headline());
      assertEquals(c, r.answer(), r.headline());
      assertEquals(c + 1, r.failedAt(), r.headline());
      // Whole numbers only, and no load is tried twice.
      List<Double> loads = new ArrayList<>();
      r.steps().forEach(s -> {
        assertEquals(Math.rint(s.load()), s.load());
        assertFalse(loads.contains(s.load()), "tried twice: " + s.load());
        loads.add(s.load());
      });
    }
  }

  @Test
  void bracketingDoublesFromTheStartThenBisects() {
    SearchResult r = run(new Settings(Mode.CONCURRENCY, 4, 1, 256, 0.01, 30), load -> load <= 20);
    assertEquals(List.of(4.0, 8.0, 16.0, 32.0, 24.0, 20.0, 22.0, 21.0),
        r.steps().stream().map(StepVerdict::load).toList());
  }

  @Test
  void aServerThatMeetsTheObjectivesAtTheMaximumSaysSo() {
    SearchResult r = run(new Settings(Mode.RATE, 1, 0.1, 10, 0.05, 30), load -> true);
    assertEquals(Stop.MAX_PASSED, r.stop());
    assertEquals(10.0, r.answer());
    assertNull(r.failedAt());
    assertTrue(r.headline().contains("at least"), r.headline());
  }

  @Test
  void aServerThatMissesTheObjectivesAtTheMinimumHasNoAnswer() {
    SearchResult r = run(new Settings(Mode.RATE, 1, 0.1, 10, 0.05, 30), load -> false);
    assertEquals(Stop.MIN_FAILED, r.stop());
    assertNull(r.answer());
    assertEquals(0.1, r.failedAt());
    assertTrue(r.headline().contains("no load met the objectives"), r.headline());
  }

  @Test
  void theStepsAllowedBoundTheSearch() {
    SearchResult r = run(new Settings(Mode.RATE, 1, 0.05, 1024, 0.001, 5), load -> load <= 3.3);
    assertEquals(Stop.MAX_STEPS, r.stop());
    assertEquals(5, r.steps().size());
    assertTrue(r.answer() <= 3.3 && r.failedAt() > 3.3);
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> new Settings(Mode.RATE, 0.5, 1, 10, 0.05, 5));
    assertThrows(IllegalArgumentException.class, () -> new Settings(Mode.RATE, 1, 1, 10, 0, 5));
    assertThrows(IllegalArgumentException.class, () -> new Settings(Mode.CONCURRENCY, 1.5, 1, 10, 0.05, 5));
    assertThrows(IllegalArgumentException.class, () -> new Settings(Mode.RATE, 1, 1, 10, 0.05, 0));
  }
}
