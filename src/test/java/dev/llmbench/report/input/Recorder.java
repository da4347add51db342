package dev.llmbench.report.input;

import java.util.ArrayList;
import java.util.List;

/** A visitor that keeps every record, in order, for tests. */
final class Recorder implements SimulationLogReader.Visitor {
  final List<Object> records = new ArrayList<>();

  @Override
  public void onRunHeader(RunHeader header) {
    records.add(header);
  }

  @Override
  public void onRequest(RequestRecord request) {
    records.add(request);
  }

  @Override
  public void onUser(UserRecord user) {
    records.add(user);
  }

  @Override
  public void onGroup(GroupRecord group) {
    records.add(group);
  }

  @Override
  public void onError(ErrorRecord error) {
    records.add(error);
  }
}
