package dev.llmbench.llm.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatsRowsTest {

  @Test
  void everyRowIsLoggedOnceAndAUsersFlushReturnsOnceItsRowsAreLogged() throws Exception {
    StatsRows rows = new StatsRows();
    rows.start();
    ConcurrentHashMap<Integer, Integer> logged = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> missing = new ConcurrentLinkedQueue<>();
    AtomicInteger ids = new AtomicInteger();
    List<Thread> users = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread user = new Thread(() -> {
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
          int id = ids.getAndIncrement();
          mine.add(id);
          rows.add(() -> logged.merge(id, 1, Integer::sum));
        }
        // As a virtual user out of requests: its rows are all with Gatling when flush returns, even
        // those the batching thread (or another user) took and is still logging.
        rows.flush();
        mine.stream().filter(id -> !logged.containsKey(id)).findFirst()
            .ifPresent(id -> missing.add("row " + id + " not logged when its user's flush returned"));
      });
      users.add(user);
      user.start();
    }
    for (Thread user : users) {
      user.join();
    }
    assertTrue(missing.isEmpty(), missing::toString);
    assertEquals(20_000, logged.size());
    assertEquals(20_000, logged.values().stream().mapToInt(Integer::intValue).sum(), "each row logged once");

    rows.stop();
    AtomicInteger afterStop = new AtomicInteger();
    rows.add(afterStop::incrementAndGet);
    assertEquals(1, afterStop.get(), "without the batching thread, rows are logged at once");
  }
}
