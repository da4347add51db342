package simulations;

import static io.gatling.javaapi.core.CoreDsl.*;

import dev.llmbench.config.Props;
import dev.llmbench.llm.BenchServing;
import dev.llmbench.llm.LlmProtocolBuilder;
import dev.llmbench.llm.LlmSimulation;
import io.gatling.javaapi.core.*;
import java.time.Duration;

/**
 * Offline batch sweeps as the seed's grok_perf_offline_csv.sh runs SGLang's bench_one_batch, over HTTP:
 * {@code -Dmode=normal} (batch 1, 2, 4, ..., 256 at input 1024 / output 128), {@code long_context} (batch 1 at
 * input 8192, 16384, 32768, output 10) or {@code dummy} (batch 2 at input 256 / output 4096); a batch of B is B
 * requests released at once, and the result folder's offline.csv gives per batch size the prefill, median
 * decode and E2E latencies and throughputs (docs/offline.md).
 */
public class OfflineSimulation extends LlmSimulation {
  // The server and the sweep (docs/offline.md): -Dmode, -Doffline.batch.sizes, -Dinput.len, -Doutput.len,
  // -Doffline.warmups, -Doffline.runs; -Dsize=full for the seed's sizes, smoke (the default) keeps batches up to 8
  // and divides the lengths by 8
  private final LlmProtocolBuilder llm = llm();

  // Closed model: per batch size its warm-up batches then its measured ones, each B requests and B workers,
  // one batch at a time; configurations over the server's max model length are skipped with a NOTE
  private final PopulationBuilder sweep = BenchServing.steps(llm.offline(Props.system()), llm.stream("generate"));

  {
    setUp(sweep)
        .protocols(llm)
        .assertions(forAll().failedRequests().count().is(0L)) // every request must succeed
        .maxDuration(Duration.ofHours(24));
  }
}
