package dev.llmbench.emulator;

import java.util.List;

/**
 * What the emulator's tokenizer choice ({@link EmulatorConfig.Tokenizer}) does: count a prompt as
 * {@code usage.prompt_tokens} reports it, and serve {@code /tokenize} and {@code /detokenize}.
 */
interface ServedTokenizer {
  /** Prompt tokens of {@code text}. */
  int count(CharSequence text);

  /** Tokens a chat request's template adds around its messages. */
  int chatTemplateTokens();

  /** The token ids of {@code text}. */
  List<Integer> encode(CharSequence text);

  /**
   * One prefix-cache key per token of {@code text} ({@link PrefixCache}): the token ids unless a tokenizer
   * maps distinct tokens to one id.
   */
  default int[] cacheKeys(CharSequence text) {
    return encode(text).stream().mapToInt(Integer::intValue).toArray();
  }

  /** The text of {@code tokenIds}. */
  String decode(List<Integer> tokenIds);

  /** The piece of token {@code id}, as {@code /tokenize} lists it with {@code with_pieces}. */
  String piece(int id);
}
