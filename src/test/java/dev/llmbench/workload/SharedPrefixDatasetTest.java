package dev.llmbench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.config.ConfigException;
import dev.llmbench.config.Props;
import dev.llmbench.tokenizer.PromptTokens;
import dev.llmbench.tokenizer.WordTokenizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shared-prefix generators: the reference tools' defaults and counts, exact lengths, shared prefixes, the order. */
class SharedPrefixDatasetTest {

  private static Props props(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Props.of(m);
  }

  @Test
  void defaultsAreTheReferenceTools() {
    SharedPrefixDataset gsp = SharedPrefixDataset.from(props("dataset.name", "generated-shared-prefix"), null);
    // bench_serving's --gsp-* defaults.
    assertEquals(new SharedPrefixDataset("generated-shared-prefix", 64, 16, 2048, 128, 256), gsp);
    SharedPrefixDataset rep = SharedPrefixDataset.from(props("dataset.name", "prefix-repetition"), null);
    // vLLM's PrefixRepetitionRandomDataset defaults, its --num-prompts default split over the prefixes.
    assertEquals(new SharedPrefixDataset("prefix-repetition", 10, SharedPrefixDataset.VLLM_NUM_PROMPTS / 10, 256, 256,
        128), rep);
    // num_requests // num_prefixes: the remainder is dropped, as vLLM drops it.
    assertEquals(3, SharedPrefixDataset.from(props("dataset.name", "prefix-repetition",
        "prefix.repetition.num.prefixes", "3"), 11).promptsPerGroup());
    assertNull(SharedPrefixDataset.from(props(), null));
    assertNull(SharedPrefixDataset.from(props("dataset.name", "random"), null));
  }

  @Test
  void misplacedSettingsAreRefusedByName() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> SharedPrefixDataset.from(props("gsp.num.groups", "4"), null));
    assertTrue(e.getMessage().startsWith("gsp.num.groups needs -Ddataset.name=generated-shared-prefix"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> SharedPrefixDataset.from(props("dataset.name", "generated-shared-prefix",
        "prefix.repetition.prefix.len", "4"), null));
    assertTrue(e.getMessage().contains("prefix.repetition.prefix.len needs -Ddataset.name=prefix-repetition"));
    assertThrows(ConfigException.class, () -> SharedPrefixDataset.from(props("dataset.name", "generated-shared-prefix"), 8));
    assertThrows(ConfigException.class, () -> SharedPrefixDataset.from(props("dataset.name", "prefix-repetition",
        "prefix.repetition.num.prefixes", "5"), 4));
    e = assertThrows(ConfigException.class, () -> SharedPrefixDataset.from(props("dataset.name", "shared"), null));
    assertTrue(e.getMessage().contains("dataset.name must be one of"), e.getMessage());
  }

  @Test
  void lengthsAreExactAndGroupsShareTheirPrefix() {
    for (SharedPrefixDataset d : List.of(new SharedPrefixDataset("generated-shared-prefix", 3, 5, 70, 11, 9),
        new SharedPrefixDataset("prefix-repetition", 4, 2, 33, 20, 7))) {
      List<Ticket> tickets = d.generate(PromptTokens.WORDS, 7);
      assertEquals(d.size(), tickets.size());
      for (int i = 0; i < tickets.size(); i++) {
        Ticket t = tickets.get(i);
        assertEquals(i, t.index());
        assertEquals(d.prefixLen() + d.suffixLen(), t.inputTokens(), t.prompt());
        assertEquals(t.inputTokens(), WordTokenizer.count(t.prompt()), "the planned length is the counted one");
        assertEquals(d.outputLen(), t.outputTokens());
      }
      // Grouped by their first prefixLen words: groups of promptsPerGroup, each suffix its own.
      Map<String, List<Ticket>> byPrefix = tickets.stream().collect(Collectors.groupingBy(
          t -> String.join(" ", List.of(t.prompt().strip().split("\\s+")).subList(0, d.prefixLen()))));
      assertEquals(d.groups(), byPrefix.size());
      byPrefix.values().forEach(g -> assertEquals(d.promptsPerGroup(), g.size()));
      assertEquals(d.size(), tickets.stream().map(Ticket::prompt).distinct().count());
      // Same seed, same tickets; shuffled, as both reference tools shuffle: not group after group.
      assertEquals(tickets, d.generate(PromptTokens.WORDS, 7));
      List<String> firstWords = tickets.stream().map(t -> t.prompt().split("\\s+")[0]).toList();
      boolean grouped = true;
      for (int i = 0; i + 1 < firstWords.size(); i += d.promptsPerGroup()) {
        grouped &= firstWords.subList(i, i + d.promptsPerGroup()).stream().distinct().count() == 1;
      }
      assertTrue(!grouped, "shuffled");
      assertNotEquals(tickets, d.generate(PromptTokens.WORDS, 8));
    }
  }

  @Test
  void generatedSharedPrefixSeparatesWithABlankLineAsBenchServing() {
    Ticket t = new SharedPrefixDataset("generated-shared-prefix", 1, 1, 3, 2, 1).generate(PromptTokens.WORDS, 1).get(0);
    assertEquals(1, t.prompt().split("\n\n").length - 1, t.prompt());
  }
}
