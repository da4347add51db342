package dev.llmbench.stream;

import static dev.llmbench.stream.StreamDecoderTest.DONE;
import static dev.llmbench.stream.StreamDecoderTest.LLAMA_CPP_CHAT;
import static dev.llmbench.stream.StreamDecoderTest.OPENAI_COMPLETIONS;
import static dev.llmbench.stream.StreamDecoderTest.SGLANG;
import static dev.llmbench.stream.StreamDecoderTest.TRT;
import static dev.llmbench.stream.StreamDecoderTest.VLLM_CHAT;
import static dev.llmbench.stream.StreamDecoderTest.bytes;
import static dev.llmbench.stream.StreamDecoderTest.contentNanos;
import static dev.llmbench.stream.StreamDecoderTest.feed;
import static dev.llmbench.stream.StreamDecoderTest.feedBytewise;
import static dev.llmbench.stream.StreamDecoderTest.summary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmbench.emulator.WireStyle;
import dev.llmbench.emulator.WireStyle.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every API shape's stream in every wire form that JSON and SSE allow ({@link WireStyle}: spaces,
 * key order, escapes, JSON over several data lines, CRLF and lone CR line ends, comments, data
 * without its space, event/id/retry fields) is read exactly as its compact form, whatever byte the
 * reads are split at; the compact form and reordered keys take the byte patterns only, the spaced
 * form the full parse.
 */
class WireVariantsTest {

  private record Shape(String name, StreamDecoder decoder, String stream) {}

  private static final List<Shape> SHAPES = List.of(
      new Shape("vllm-chat", StreamDecoder.OPENAI_CHAT, VLLM_CHAT),
      new Shape("llama.cpp-chat", StreamDecoder.OPENAI_CHAT, LLAMA_CPP_CHAT),
      new Shape("openai-completions", StreamDecoder.OPENAI_COMPLETIONS, OPENAI_COMPLETIONS),
      new Shape("sglang-generate", StreamDecoder.SGLANG_GENERATE, SGLANG),
      new Shape("trt-generate", StreamDecoder.TRT_GENERATE, TRT));

  /** The compact form, every option alone (so that a new option is read at once), and two sets of them together. */
  private static final List<WireStyle> STYLES = styles();

  private static List<WireStyle> styles() {
    List<WireStyle> styles = new ArrayList<>(List.of(WireStyle.COMPACT));
    for (Option option : Option.values()) {
      styles.add(WireStyle.of(option));
    }
    styles.add(WireStyle.of(Option.SPACED, Option.REORDERED, Option.CR, Option.COMMENTS, Option.FIELDS,
        Option.BARE_DATA));
    styles.add(WireStyle.of(Option.MULTILINE, Option.ESCAPED, Option.CRLF, Option.COMMENTS, Option.FIELDS));
    return List.copyOf(styles);
  }

  static Stream<Arguments> variants() {
    List<Arguments> all = new ArrayList<>();
    for (Shape shape : SHAPES) {
      for (WireStyle style : STYLES) {
        all.add(Arguments.of(shape.name() + " " + style.describe(), shape, style));
      }
    }
    return all.stream();
  }

  private static int fallbacks(StreamRecord r) {
    return r.fallbackParses;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void everyWireFormIsReadAsTheCompactOne(String name, Shape shape, WireStyle style) {
    String compact = summary(feed(shape.decoder(), bytes(shape.stream())));
    byte[] data = bytes(style.rewrite(shape.stream(), "e"));
    StreamRecord whole = feed(shape.decoder(), data);
    assertEquals(compact, summary(whole), name);
    boolean patterns = !style.options().contains(Option.SPACED) && !style.options().contains(Option.MULTILINE);
    if (patterns) {
      assertEquals(0, fallbacks(whole), name + ": the byte patterns read it");
    } else {
      assertTrue(fallbacks(whole) > 0, name + ": read by the full parse");
    }
    // Split at every byte: the same result, each event stamped by the read that completed it.
    long[] ends = contentNanos(feedBytewise(shape.decoder(), data));
    for (int k = 0; k <= data.length; k++) {
      StreamRecord r = feed(shape.decoder(), data, k);
      assertEquals(compact, summary(r), name + " split at " + k);
      long[] expected = new long[ends.length];
      for (int i = 0; i < ends.length; i++) {
        expected[i] = ends[i] - StreamDecoderTest.BASE < k ? 100 : 200;
      }
      assertArrayEquals(expected, contentNanos(r), name + " stamps, split at " + k);
    }
  }

  private static final String CHAT_HEAD = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":";

  /** JSON escapes and whitespace in the places the patterns look at. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"content\":\"\\n\"}", "{\"content\":\"\\\"\"}", "{\"content\":\"\\u00e9\"}",
      "{\"content\":\"\\ud83d\\ude00\"}", "{\"content\":\"\\\\\"}", "{\"content\" : \" a\"}",
      "{\"content\":\t\" a\"}", "{\"content\"\ndata: :\" a\"}", "{\"cont\\u0065nt\":\" a\"}",
      "{\"role\":\"assistant\", \"content\": \" a\"}", "{\"reasoning_content\": \" a\", \"content\": null}",
      "{\"content\":\"\",\"reasoning\" :\" a\"}"})
  void aContentDeltaInAnyJsonFormIsOneContentEvent(String delta) {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(CHAT_HEAD + delta + ",\"finish_reason\":null}]}\n\n" + DONE));
    assertEquals("events=1 tokens=[1] usage=-1/-1 done=true malformed=0 error=null out=1(events)", summary(r), delta);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{}", "{\"content\":\"\"}", "{\"content\":null}", "{\"content\" : null}", "{\"content\": \"\"}",
      "{\"role\": \"assistant\"}", "{\"cont\\u0065nt\":\"\"}", "{\"tool_calls\":[{\"function\":{\"arguments\":"
      + "\"{\\\"content\\\":\\\"x\\\"}\"}}]}", "{\"content\":null,\"reasoning\":null}"})
  void aDeltaWithoutTextInAnyJsonFormIsNoContentEvent(String delta) {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(CHAT_HEAD + delta + ",\"finish_reason\":null}]}\n\n" + DONE));
    assertEquals("events=0 tokens=[] usage=-1/-1 done=true malformed=0 error=null out=0(events)", summary(r), delta);
  }

  /** Usage beside finish_reason (llama.cpp) or with empty choices (vLLM), spaced or not, any key order. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"choices\":[{\"finish_reason\":\"length\",\"index\":0,\"delta\":{}}],\"usage\":{\"completion_tokens\":2,"
          + "\"prompt_tokens\":6,\"total_tokens\":8}}",
      "{\"choices\": [{\"finish_reason\": \"length\", \"index\": 0, \"delta\": {}}], \"usage\": {\"completion_tokens\": 2,"
          + " \"prompt_tokens\": 6, \"total_tokens\": 8}}",
      "{\"usage\" : {\"prompt_tokens_details\": {\"cached_tokens\": 3}, \"prompt_tokens\" : 6, \"completion_tokens\":2},"
          + " \"choices\": []}",
      "{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":2,\"total_tokens\":8}}",
      " {\"choices\":[],\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":2}}\t"})
  void usageIsReadInAnyForm(String last) {
    String content = CHAT_HEAD + "{\"content\": \" a\"}, \"finish_reason\": null}]}\n\n";
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(content + content + "data: " + last + "\n\n" + DONE));
    assertEquals("events=2 tokens=[1, 1] usage=6/2 done=true malformed=0 error=null out=2(usage)", summary(r), last);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"choices\":[{\"text\":\" a\",\"index\":0}],\"usage\": {\"prompt_tokens\": 6, \"completion_tokens\": 1}}",
      "{\"usage\":{\"completion_tokens\":1,\"prompt_tokens\":6},\"choices\":[{\"index\":0,\"text\":\" a\"}]}",
      "{\"choices\":[{\"text\":\" a\"}],\"usage\" : {\"prompt_tokens\":6,\"completion_tokens\":1}}"})
  void contentAndUsageInOneCompletionsChunk(String chunk) {
    StreamRecord r = feed(StreamDecoder.OPENAI_COMPLETIONS, bytes("data: " + chunk + "\n\n" + DONE));
    assertEquals("events=1 tokens=[1] usage=6/1 done=true malformed=0 error=null out=1(usage)", summary(r), chunk);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "data: {\"error\": {\"message\": \"boom\", \"code\": 500}}\n\n",
      "data: { \"error\" : {\"message\":\"boom\"}}\n\n",
      "data: {\"object\":\"error\",\"error\":{\"message\":\"boom\"}}\n\n",
      "event: error\ndata: {\"message\": \"boom\"}\n\n",
      "data: {\"message\": \"boom\"}\nevent: error\n\n",
      "error: {\"code\": 500, \"message\": \"boom\"}\n\n"})
  void errorsInAnyFormFailTheRequestWithTheServersMessage(String event) {
    StreamRecord r = feed(StreamDecoder.OPENAI_CHAT, bytes(CHAT_HEAD + "{\"content\":\" a\"}}]}\n\n" + event + DONE));
    assertEquals("error event from server: boom", r.error, event);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "data: {\"text\": \"a b\", \"meta_info\": {\"finish_reason\": {\"type\": \"length\"}, \"prompt_tokens\": 3, "
          + "\"completion_tokens\": 2}}\n\n",
      "data: {\"meta_info\":{\"completion_tokens\" :2,\"prompt_tokens\":3,\"finish_reason\":{\"type\":\"stop\"}},"
          + "\"text\":\"a b\"}\n\n"})
  void sglangInAnyForm(String event) {
    StreamRecord r = feed(StreamDecoder.SGLANG_GENERATE, bytes(event));
    assertEquals("events=1 tokens=[2] usage=3/2 done=true malformed=0 error=null out=2(usage)", summary(r), event);
  }

  /** SSE framing the spec allows, byte by byte as well as whole. */
  @ParameterizedTest
  @ValueSource(strings = {
      "\uFEFFdata: {\"choices\":[{\"text\":\" a\"}]}\n\ndata: [DONE]\n\n",
      "data:{\"choices\":[{\"text\":\" a\"}]}\r\rdata:[DONE]\r\r",
      "data: {\"choices\":[{\"text\":\" a\"}]}\r\n\r\n: c\r\rdata: [DONE]\n\n",
      "data: {\"choices\":\ndata: [{\"text\":\" a\"}]}\n\nid: 1\ndata: [DONE]\nretry: 5\n\n",
      "data: {\"choices\":\rdata: [{\"text\":\" a\"}]}\r\rdata: \r\r: only a comment\r\rdata: [DONE]\r\r",
      "event: message\ndata: {\"choices\":[{\"text\":\" a\"}]}\nid: 7\n\ndata\n\ndata: [DONE]\n\n"})
  void sseFramingInAnyForm(String stream) {
    for (StreamRecord r : new StreamRecord[] {feed(StreamDecoder.OPENAI_COMPLETIONS, bytes(stream)),
        feedBytewise(StreamDecoder.OPENAI_COMPLETIONS, bytes(stream))}) {
      assertEquals("events=1 tokens=[1] usage=-1/-1 done=true malformed=0 error=null out=1(events)", summary(r),
          stream);
    }
  }
}
