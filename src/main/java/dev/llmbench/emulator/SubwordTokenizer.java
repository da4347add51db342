package dev.llmbench.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmbench.tokenizer.VocabularyPrompts;
import dev.llmbench.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The emulator's test double of a real tokenizer ({@code emulator.tokenizer=subword}): words are not
 * tokens, so prompt sizing is tested against a server that counts differently from the load
 * generator's word tokenizer. It is a WordPiece tokenizer, as BERT's: text is split at whitespace,
 * and each word is cut greedily into the longest pieces of its vocabulary, pieces after the first
 * written with a {@code ##} prefix; a word that cannot be cut, or longer than
 * {@value #MAX_WORD_CHARS} characters, is one {@code [UNK]}. Its vocabulary holds every printable
 * ASCII character (alone and as {@code ##} piece), the sixteen syllables of the word tokenizer's
 * words (so that each of those words is three tokens here), and the words of the default vocabulary
 * whole (common English words, which real tokenizers keep whole too). {@link #huggingFaceJson()}
 * writes the same tokenizer as a HuggingFace {@code tokenizer.json}, which the HuggingFace library
 * counts exactly as this class does: tests give it to {@code -Dtokenizer}.
 *
 * <p>On chat requests the emulator adds {@link #CHAT_TEMPLATE_TOKENS} to the count, as a real
 * server's chat template adds its role markers.
 */
public final class SubwordTokenizer implements ServedTokenizer {
  /** Tokens a chat request's template adds around the messages (ChatML's markers on one user turn). */
  public static final int CHAT_TEMPLATE_TOKENS = 7;
  static final int MAX_WORD_CHARS = 100;
  static final String UNK = "[UNK]";
  static final String CONTINUATION = "##";

  private static final SubwordTokenizer INSTANCE = new SubwordTokenizer();

  private final List<String> pieces = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final int longestPiece;

  private SubwordTokenizer() {
    add(UNK);
    for (char c = '!'; c <= '~'; c++) {
      add(String.valueOf(c));
      add(CONTINUATION + c);
    }
    for (String s : WordTokenizer.syllables()) {
      add(s);
      add(CONTINUATION + s);
    }
    for (String w : VocabularyPrompts.defaultWords()) {
      add(w);
    }
    longestPiece = pieces.stream().mapToInt(String::length).max().orElse(1);
  }

  public static SubwordTokenizer get() {
    return INSTANCE;
  }

  private void add(String piece) {
    if (!ids.containsKey(piece)) {
      ids.put(piece, pieces.size());
      pieces.add(piece);
    }
  }

  @Override
  public int chatTemplateTokens() {
    return CHAT_TEMPLATE_TOKENS;
  }

  /** Number of tokens of {@code text}. */
  @Override
  public int count(CharSequence text) {
    int[] n = new int[1];
    forEachToken(text, id -> n[0]++);
    return n[0];
  }

  /** The token ids of {@code text}. */
  @Override
  public List<Integer> encode(CharSequence text) {
    List<Integer> out = new ArrayList<>();
    forEachToken(text, out::add);
    return out;
  }

  /** The piece of token {@code id}, or null when there is none. */
  @Override
  public String piece(int id) {
    return id >= 0 && id < pieces.size() ? pieces.get(id) : null;
  }

  /** Text of {@code ids}: {@code ##} pieces joined to the previous one, others after a space (WordPiece's decoder). */
  @Override
  public String decode(List<Integer> tokenIds) {
    StringBuilder sb = new StringBuilder();
    for (int id : tokenIds) {
      String p = piece(id);
      if (p == null) {
        continue;
      }
      if (p.startsWith(CONTINUATION)) {
        sb.append(p, CONTINUATION.length(), p.length());
      } else {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(p);
      }
    }
    return sb.toString();
  }

  private void forEachToken(CharSequence text, IntConsumer sink) {
    int n = text.length();
    int i = 0;
    while (i < n) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        word(text.subSequence(start, i).toString(), sink);
      }
    }
  }

  /** WordPiece's greedy longest-match-first cut of one word; all of it is [UNK] when a part matches nothing. */
  private void word(String w, IntConsumer sink) {
    if (w.codePointCount(0, w.length()) > MAX_WORD_CHARS) {
      sink.accept(ids.get(UNK));
      return;
    }
    int[] found = new int[w.length()];
    int count = 0;
    int start = 0;
    while (start < w.length()) {
      int end = Math.min(w.length(), start + longestPiece);
      Integer id = null;
      while (end > start) {
        String sub = (start > 0 ? CONTINUATION : "") + w.substring(start, end);
        id = ids.get(sub);
        if (id != null) {
          break;
        }
        end--;
      }
      if (id == null) {
        sink.accept(ids.get(UNK));
        return;
      }
      found[count++] = id;
      start = end;
    }
    for (int k = 0; k < count; k++) {
      sink.accept(found[k]);
    }
  }

  /**
   * This tokenizer as a HuggingFace {@code tokenizer.json}: a WordPiece model with this vocabulary,
   * a whitespace-split pre-tokenizer and the WordPiece decoder, no normalizer and no special tokens
   * added to an encoding.
   */
  public String huggingFaceJson() {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    ObjectNode unk = added.addObject();
    unk.put("id", 0).put("content", UNK).put("single_word", false).put("lstrip", false).put("rstrip", false)
        .put("normalized", false).put("special", true);
    root.putNull("normalizer");
    root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
    root.putNull("post_processor");
    root.putObject("decoder").put("type", "WordPiece").put("prefix", CONTINUATION).put("cleanup", false);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece").put("unk_token", UNK).put("continuing_subword_prefix", CONTINUATION)
        .put("max_input_chars_per_word", MAX_WORD_CHARS);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int i = 0; i < pieces.size(); i++) {
      vocab.put(pieces.get(i), i);
    }
    model.set("vocab", m.valueToTree(vocab));
    try {
      return m.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the tokenizer's JSON", e);
    }
  }
}
