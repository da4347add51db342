package dev.llmbench.report.model;

/**
 * The client's view of the server's prefix cache ({@code summary.json}'s {@code prefixCache}), from the cached
 * prompt tokens the server reported with each measured, successful request (vLLM's
 * {@code usage.prompt_tokens_details.cached_tokens}, SGLang's {@code meta_info.cached_tokens}). A hit is a
 * request with at least one cached token. TTFT figures are null for a side with no request.
 *
 * @param requests measured successful requests whose server reported cached tokens
 * @param hits those with cached tokens
 * @param misses those without
 * @param cachedTokenShare cached prompt tokens over prompt tokens of those requests (0..1): the hit rate in tokens
 * @param ttftMsMeanHits mean TTFT of the hits, in ms
 * @param ttftMsMeanMisses mean TTFT of the misses, in ms
 * @param ttftMsMedianHits median TTFT of the hits, in ms
 * @param ttftMsMedianMisses median TTFT of the misses, in ms
 */
public record PrefixCacheView(int requests, int hits, int misses, double cachedTokenShare, Double ttftMsMeanHits,
    Double ttftMsMeanMisses, Double ttftMsMedianHits, Double ttftMsMedianMisses) {

  public PrefixCacheView {
    if (requests != hits + misses) {
      throw new IllegalArgumentException("requests (" + requests + ") must be hits (" + hits + ") + misses ("
          + misses + ")");
    }
  }
}
