package dev.llmbench.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmbench.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * {@code -Dtokenizer}: the served model's HuggingFace {@code tokenizer.json}, through DJL's binding of
 * the HuggingFace tokenizers library (its native library is inside the jar: nothing is downloaded).
 * Prompts are built as bench_serving's and vllm bench's random datasets build them: random ids of
 * the vocabulary (special tokens left out), decoded to text, re-encoded, and adjusted until the text
 * is exactly the planned number of tokens (cut when too long, random ids added when too short; vLLM's
 * {@code gen_prompt_decode_to_target_len}, at most {@value #MAX_TRIES} rounds; a prompt still off
 * after them is kept as the last round made it, and its real count is the planned one).
 */
public final class TokenizerFile implements PromptTokens, AutoCloseable {
  static final int MAX_TRIES = 10;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final HuggingFaceTokenizer tokenizer;
  private final long[] ids;

  private TokenizerFile(Path file, HuggingFaceTokenizer tokenizer, long[] ids) {
    this.file = file;
    this.tokenizer = tokenizer;
    this.ids = ids;
  }

  /**
   * Opens {@code path}: a {@code tokenizer.json} or a folder holding one (a model folder), as
   * bench_serving's {@code --tokenizer} takes.
   *
   * @throws ConfigException naming the path and what is wrong with it
   */
  public static TokenizerFile open(Path path) {
    Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new ConfigException("tokenizer " + path.toAbsolutePath() + (Files.isDirectory(path)
          ? " is a folder without a tokenizer.json" : " does not exist or is not a readable file")
          + ": give the served model's tokenizer.json or the model folder holding it");
    }
    long[] ids;
    try {
      ids = vocabularyIds(MAPPER.readTree(file.toFile()));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("tokenizer " + file.toAbsolutePath() + " is not a HuggingFace tokenizer.json ("
          + firstLine(e.getMessage()) + "): give the served model's tokenizer.json or the model folder holding it", e);
    }
    try {
      HuggingFaceTokenizer t = HuggingFaceTokenizer.builder().optTokenizerPath(file).optAddSpecialTokens(false)
          .optTruncation(false).optPadding(false).build();
      return new TokenizerFile(file.toAbsolutePath(), t, ids);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("tokenizer " + file.toAbsolutePath() + " cannot be loaded by the HuggingFace "
          + "tokenizers library (" + firstLine(e.getMessage()) + "): give the served model's tokenizer.json", e);
    }
  }

  /**
   * The ids of the model's vocabulary, special tokens left out: {@code model.vocab} is an object of
   * token to id (BPE, WordPiece, WordLevel) or an array of [piece, score] (Unigram, whose id is the
   * index); {@code added_tokens} marked special are removed.
   */
  static long[] vocabularyIds(JsonNode json) {
    JsonNode vocab = json.path("model").path("vocab");
    Set<Long> special = new HashSet<>();
    for (JsonNode added : json.path("added_tokens")) {
      if (added.path("special").asBoolean(false)) {
        special.add(added.path("id").asLong());
      }
    }
    long[] ids;
    if (vocab.isObject()) {
      ids = new long[vocab.size()];
      int n = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        long id = it.next().getValue().asLong(-1);
        if (id >= 0 && !special.contains(id)) {
          ids[n++] = id;
        }
      }
      ids = Arrays.copyOf(ids, n);
    } else if (vocab.isArray()) {
      ids = LongStream.range(0, vocab.size()).filter(id -> !special.contains(id)).toArray();
    } else {
      throw new IllegalArgumentException("it has no model.vocab");
    }
    if (ids.length == 0) {
      throw new IllegalArgumentException("its vocabulary is empty");
    }
    Arrays.sort(ids); // the object's order is the file's: sorted, a seed draws the same ids from equal files
    return ids;
  }

  public Path file() {
    return file;
  }

  @Override
  public Method method() {
    return Method.TOKENIZER_FILE;
  }

  /** Tokens of {@code text}, special tokens not added. */
  @Override
  public int count(String text) {
    return tokenizer.encode(text, false, false).getIds().length;
  }

  @Override
  public Built build(int tokens, Random random) {
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0, but was " + tokens);
    }
    long[] seq = new long[tokens];
    for (int i = 0; i < tokens; i++) {
      seq[i] = ids[random.nextInt(ids.length)];
    }
    for (int round = 0; ; round++) {
      String text = tokenizer.decode(seq, true);
      long[] encoded = tokenizer.encode(text, false, false).getIds();
      if (encoded.length == tokens || round == MAX_TRIES) {
        return new Built(text, encoded.length);
      }
      // Cut when too long; when too short, random ids after the re-encoded ones.
      seq = Arrays.copyOf(encoded, tokens);
      for (int i = encoded.length; i < tokens; i++) {
        seq[i] = ids[random.nextInt(ids.length)];
      }
    }
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
