package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TimingModel}: validation of every field and the step-duration formula. */
class TimingModelTest {

  @Test
  void stepLastsBasePlusPerSequencePlusPrefill() {
    TimingModel t = new TimingModel(1_000_000, 1_000, 10, 8, 1_000, 512, 1, 16);

    assertEquals(1_000_000, t.stepNanos(0, 0), "an empty step costs the base");
    assertEquals(1_020_000, t.stepNanos(2, 0), "10 µs per decoding sequence");
    assertEquals(2_020_000, t.stepNanos(2, 1_000), "1000 prompt tokens at 1M tok/s add 1 ms");
  }

  @Test
  void defaultIsValidAndStepsGrowWithTheBatch() {
    TimingModel d = TimingModel.DEFAULT;

    assertTrue(d.stepNanos(256, 0) > d.stepNanos(1, 0));
    assertTrue(d.stepNanos(1, 8_192) > d.stepNanos(1, 0));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("prefillTokensPerSecond", (Supplier<TimingModel>) () -> new TimingModel(0, 1, 1, 1, 1, 1, 1, 1)),
        Arguments.of("decodeStepBaseMicros", (Supplier<TimingModel>) () -> new TimingModel(1, -1, 1, 1, 1, 1, 1, 1)),
        Arguments.of("decodeStepPerSequenceMicros",
            (Supplier<TimingModel>) () -> new TimingModel(1, 1, -1, 1, 1, 1, 1, 1)),
        Arguments.of("decodeStepBaseMicros + decodeStepPerSequenceMicros",
            (Supplier<TimingModel>) () -> new TimingModel(1, 0, 0, 1, 1, 1, 1, 1)),
        Arguments.of("maxRunningSequences", (Supplier<TimingModel>) () -> new TimingModel(1, 1, 1, 0, 1, 1, 1, 1)),
        Arguments.of("kvCacheTokens", (Supplier<TimingModel>) () -> new TimingModel(1, 1, 1, 1, 0, 1, 1, 1)),
        Arguments.of("prefillChunkTokens", (Supplier<TimingModel>) () -> new TimingModel(1, 1, 1, 1, 1, 0, 1, 1)),
        Arguments.of("tokensPerChunk", (Supplier<TimingModel>) () -> new TimingModel(1, 1, 1, 1, 1, 1, 0, 1)),
        Arguments.of("meanNaturalOutputTokens", (Supplier<TimingModel>) () -> new TimingModel(1, 1, 1, 1, 1, 1, 1, 0)),
        Arguments.of("prefillTokensPerSecond",
            (Supplier<TimingModel>) () -> new TimingModel(Double.NaN, 1, 1, 1, 1, 1, 1, 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidFieldIsRefusedByName(String field, Supplier<TimingModel> build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);

    assertTrue(e.getMessage().contains(field), e.getMessage());
  }
}
