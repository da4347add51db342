package dev.llmbench.report.input;

import dev.llmbench.report.model.ServerMemory;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a serving engine's log (a file the user saved, e.g. {@code docker logs vllm > vllm.log}) for
 * the memory figures of {@code bench_full.py}'s procedure, which greps the container's log for them:
 *
 * <ul>
 *   <li>vLLM: {@code Model loading took 44.2 GiB and 30.5 seconds} (older builds: {@code Loading
 *       model weights took 14.99 GB}), {@code Available KV cache memory: 62.2 GiB},
 *       {@code GPU KV cache size: 1,234,567 tokens};
 *   <li>SGLang: {@code Load weight end. ... mem usage=15.02 GB.} and
 *       {@code KV Cache is allocated. #tokens: 420431, K size: 25.66 GB, V size: 25.66 GB} (the cache
 *       is K + V).
 * </ul>
 *
 * Both engines compute their "GB" by dividing by 2^30, so those figures are GiB. When the log holds
 * several starts of the server, the last one's figures are taken. Lines are read as UTF-8 with
 * malformed bytes replaced: a log is what a container wrote, colours and all.
 */
public final class ServerLog {
  private static final String NUMBER = "([0-9]+(?:\\.[0-9]+)?)";
  private static final Pattern VLLM_MODEL = Pattern.compile("(?:Model loading|Loading model weights) took " + NUMBER + " ?Gi?B");
  private static final Pattern VLLM_KV = Pattern.compile("Available KV cache memory: " + NUMBER + " ?Gi?B");
  private static final Pattern VLLM_TOKENS = Pattern.compile("GPU KV cache size: ([0-9][0-9,]*) tokens");
  private static final Pattern SGLANG_MODEL = Pattern.compile("Load weight end\\..*mem usage=" + NUMBER + " ?Gi?B");
  private static final Pattern SGLANG_KV = Pattern.compile(
      "KV Cache is allocated\\. #tokens: ([0-9][0-9,]*), K size: " + NUMBER + " ?Gi?B, V size: " + NUMBER + " ?Gi?B");

  private ServerLog() {}

  /** The memory figures of the log at {@code file}; a figure the log does not give is null. */
  public static ServerMemory memory(Path file) throws IOException {
    Double model = null;
    Double kv = null;
    Long tokens = null;
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
      for (String line; (line = in.readLine()) != null; ) {
        Matcher m;
        if ((m = VLLM_MODEL.matcher(line)).find() || (m = SGLANG_MODEL.matcher(line)).find()) {
          model = Double.parseDouble(m.group(1));
        }
        if ((m = VLLM_KV.matcher(line)).find()) {
          kv = Double.parseDouble(m.group(1));
        }
        if ((m = VLLM_TOKENS.matcher(line)).find()) {
          tokens = Long.parseLong(m.group(1).replace(",", ""));
        }
        if ((m = SGLANG_KV.matcher(line)).find()) {
          tokens = Long.parseLong(m.group(1).replace(",", ""));
          kv = Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3));
        }
      }
    }
    return new ServerMemory(file.getFileName().toString(), model, kv, tokens);
  }
}
