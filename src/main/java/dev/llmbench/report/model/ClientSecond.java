package dev.llmbench.report.model;

/**
 * One second of the client's own series ({@code timeline.csv}), from the per-request rows, warm-ups
 * included (the server served them too): {@code [startSec, startSec + 1)} from the first send.
 *
 * @param startSec the second's start, seconds from the first send
 * @param outputTokens output tokens that arrived in it (from the stream's content events, a merged chunk's
 *     tokens when known)
 * @param inFlight requests in flight, averaged over the second
 * @param ttftP50Ms median TTFT of the requests whose first token arrived in it, NaN when none did
 * @param itlP50Ms median of the token gaps that ended in it, NaN when none did
 * @param completed requests that ended in it successfully
 * @param failed requests that ended in it failed
 */
public record ClientSecond(double startSec, double outputTokens, double inFlight, double ttftP50Ms, double itlP50Ms,
    int completed, int failed) {}
