package dev.llmbench.workload;

import dev.llmbench.sampling.Seeds;
import dev.llmbench.tokenizer.PromptTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * bench_serving.py's {@code --dataset-name random}: input and output lengths drawn uniformly from
 * {@code [max(int(len * ratio), 1), len]} (both ends included, as its
 * {@code np.random.randint(lo, len + 1)}), prompts of that many tokens built by a {@link PromptTokens}
 * (the shared word tokenizer by default), all from one seed. Same ranges and distribution as
 * bench_serving; the numbers differ (another random generator). The lengths do not depend on how the
 * prompts are built: the same seed draws the same lengths whatever the {@link PromptTokens}.
 */
public final class RandomDataset {
  private RandomDataset() {}

  /** The inclusive lower bound bench_serving uses for a length and a range ratio. */
  public static int lowerBound(int len, double rangeRatio) {
    return Math.max((int) (len * rangeRatio), 1);
  }

  public static List<Ticket> generate(int numPrompts, int inputLen, int outputLen, double rangeRatio, long seed) {
    return generate(numPrompts, inputLen, outputLen, rangeRatio, seed, PromptTokens.WORDS);
  }

  /** As {@link #generate(int, int, int, double, long)}, prompts built by {@code prompts}. */
  public static List<Ticket> generate(int numPrompts, int inputLen, int outputLen, double rangeRatio, long seed,
      PromptTokens prompts) {
    if (numPrompts < 0 || inputLen < 1 || outputLen < 1 || !(rangeRatio >= 0 && rangeRatio <= 1)) {
      throw new IllegalArgumentException("random dataset needs numPrompts >= 0, lengths >= 1 and a ratio in [0, 1], "
          + "but got " + numPrompts + ", " + inputLen + ", " + outputLen + ", " + rangeRatio);
    }
    Random lengths = Seeds.random(seed);
    Random words = Seeds.random(seed * 31 + 7);
    int inLo = lowerBound(inputLen, rangeRatio);
    int outLo = lowerBound(outputLen, rangeRatio);
    List<Ticket> tickets = new ArrayList<>(numPrompts);
    for (int i = 0; i < numPrompts; i++) {
      int in = inLo + lengths.nextInt(inputLen - inLo + 1);
      int out = outLo + lengths.nextInt(outputLen - outLo + 1);
      PromptTokens.Built prompt = prompts.build(in, words);
      tickets.add(new Ticket(i, prompt.text(), prompt.tokens(), out, 0, false, ""));
    }
    return tickets;
  }
}
