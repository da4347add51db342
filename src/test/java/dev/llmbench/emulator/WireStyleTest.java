package dev.llmbench.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmbench.emulator.WireStyle.Option;
import org.junit.jupiter.api.Test;

/** What each {@link WireStyle} writes for one event, byte for byte. */
class WireStyleTest {
  private static final String EVENTS = "data: {\"id\":\"x\",\"choices\":[{\"text\":\" a\",\"n\":[1,2]}]}\n\ndata: [DONE]\n\n";

  private static String rewrite(Option... options) {
    return WireStyle.of(options).rewrite(EVENTS, "x");
  }

  @Test
  void eachOptionWritesTheFormItNames() {
    assertEquals(EVENTS, rewrite(), "compact: as written");
    assertEquals("data: {\"id\": \"x\", \"choices\": [{\"text\": \" a\", \"n\": [1, 2]}]}\n\ndata: [DONE]\n\n",
        rewrite(Option.SPACED));
    assertEquals("data: {\"choices\":[{\"n\":[1,2],\"text\":\" a\"}],\"id\":\"x\"}\n\ndata: [DONE]\n\n",
        rewrite(Option.REORDERED));
    assertEquals("data: {\"id\":\"x\",\"choices\":[{\"text\":\"\\u0020a\",\"n\":[1,2]}]}\n\ndata: [DONE]\n\n",
        rewrite(Option.ESCAPED));
    assertEquals("data: {\ndata:   \"id\" : \"x\",\ndata:   \"choices\" : [ {\ndata:     \"text\" : \" a\",\n"
        + "data:     \"n\" : [ 1, 2 ]\ndata:   } ]\ndata: }\n\ndata: [DONE]\n\n", rewrite(Option.MULTILINE));
    assertEquals(EVENTS.replace("\n", "\r\n"), rewrite(Option.CRLF));
    assertEquals(EVENTS.replace("\n", "\r"), rewrite(Option.CR));
    assertEquals(EVENTS.replace("data: ", "data:"), rewrite(Option.BARE_DATA));
    assertEquals(": keep-alive\n\n:\n" + EVENTS.substring(0, EVENTS.indexOf("\n\n") + 2) + ": keep-alive\n\n:\n"
        + "data: [DONE]\n\n", rewrite(Option.COMMENTS));
  }

  @Test
  void fieldsNameEveryEventAndSetRetryOnce() {
    assertEquals("event: message\ndata: {\"id\":\"x\",\"choices\":[{\"text\":\" a\",\"n\":[1,2]}]}\nid: x-0\nretry: 3000\n\n"
        + "event: message\ndata: [DONE]\nid: x-1\n\n", rewrite(Option.FIELDS));
  }
}
