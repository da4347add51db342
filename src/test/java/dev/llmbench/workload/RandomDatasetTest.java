package dev.llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.tokenizer.WordTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bench_serving's random dataset: length ranges, exact prompt lengths, seeding. */
class RandomDatasetTest {

  @Test
  void lowerBoundIsIntOfLenTimesRatioButAtLeastOne() {
    assertEquals(512, RandomDataset.lowerBound(1024, 0.5));
    assertEquals(1024, RandomDataset.lowerBound(1024, 1.0));
    assertEquals(1, RandomDataset.lowerBound(1024, 0.0));
    assertEquals(1, RandomDataset.lowerBound(3, 0.3), "int(0.9) = 0 becomes 1");
    assertEquals(3, RandomDataset.lowerBound(7, 0.5), "truncated, not rounded");
  }

  @Test
  void lengthsStayInTheInclusiveRangeAndReachBothEnds() {
    int inLen = 20;
    int outLen = 9;
    double ratio = 0.5;
    List<Ticket> tickets = RandomDataset.generate(2_000, inLen, outLen, ratio, 3);
    int inLo = RandomDataset.lowerBound(inLen, ratio);
    int outLo = RandomDataset.lowerBound(outLen, ratio);
    assertEquals(10, inLo);
    assertEquals(4, outLo);
    int minIn = Integer.MAX_VALUE;
    int maxIn = 0;
    int minOut = Integer.MAX_VALUE;
    int maxOut = 0;
    for (Ticket t : tickets) {
      assertTrue(t.inputTokens() >= inLo && t.inputTokens() <= inLen, "input " + t.inputTokens());
      assertTrue(t.outputTokens() >= outLo && t.outputTokens() <= outLen, "output " + t.outputTokens());
      minIn = Math.min(minIn, t.inputTokens());
      maxIn = Math.max(maxIn, t.inputTokens());
      minOut = Math.min(minOut, t.outputTokens());
      maxOut = Math.max(maxOut, t.outputTokens());
    }
    assertEquals(inLo, minIn);
    assertEquals(inLen, maxIn);
    assertEquals(outLo, minOut);
    assertEquals(outLen, maxOut);
  }

  @Test
  void ratioOneGivesFixedLengths() {
    for (Ticket t : RandomDataset.generate(200, 64, 32, 1.0, 5)) {
      assertEquals(64, t.inputTokens());
      assertEquals(32, t.outputTokens());
    }
  }

  @Test
  void promptsHaveExactlyTheirInputTokens() {
    List<Ticket> tickets = RandomDataset.generate(300, 1024, 16, 0.5, 9);
    for (Ticket t : tickets) {
      assertEquals(t.inputTokens(), WordTokenizer.count(t.prompt()), "ticket " + t.index());
    }
  }

  @Test
  void ticketsAreIndexedInOrderAndNotWarmup() {
    List<Ticket> tickets = RandomDataset.generate(50, 8, 8, 0.5, 1);
    for (int i = 0; i < tickets.size(); i++) {
      assertEquals(i, tickets.get(i).index());
      assertEquals(0, tickets.get(i).arrivalOffsetNanos());
      assertEquals(false, tickets.get(i).warmup());
    }
    assertEquals(0, RandomDataset.generate(0, 8, 8, 0.5, 1).size());
  }

  @Test
  void sameSeedSameTicketsOtherSeedOtherTickets() {
    assertEquals(RandomDataset.generate(100, 256, 256, 0.5, 42), RandomDataset.generate(100, 256, 256, 0.5, 42));
    List<Ticket> a = RandomDataset.generate(100, 256, 256, 0.5, 42);
    List<Ticket> b = RandomDataset.generate(100, 256, 256, 0.5, 43);
    assertNotEquals(a, b);
    assertNotEquals(a.stream().map(Ticket::inputTokens).toList(), b.stream().map(Ticket::inputTokens).toList());
    assertNotEquals(a.get(0).prompt(), b.get(0).prompt());
    // Fixed lengths: the prompts alone must still differ.
    assertNotEquals(RandomDataset.generate(5, 64, 8, 1.0, 1).get(0).prompt(),
        RandomDataset.generate(5, 64, 8, 1.0, 2).get(0).prompt());
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> RandomDataset.generate(-1, 8, 8, 0.5, 1));
    assertThrows(IllegalArgumentException.class, () -> RandomDataset.generate(1, 0, 8, 0.5, 1));
    assertThrows(IllegalArgumentException.class, () -> RandomDataset.generate(1, 8, 0, 0.5, 1));
    assertThrows(IllegalArgumentException.class, () -> RandomDataset.generate(1, 8, 8, 1.5, 1));
    assertThrows(IllegalArgumentException.class, () -> RandomDataset.generate(1, 8, 8, -0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> RandomDataset.generate(1, 8, 8, Double.NaN, 1));
  }
}
