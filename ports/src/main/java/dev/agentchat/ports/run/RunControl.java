package dev.agentchat.ports.run;

import dev.agentchat.ports.id.IdSource;
import dev.agentchat.ports.time.Clock;

/**
 * What an instance needs to run, follow and recover runs: its live runs, the streams clients follow
 * them through, and the recovery of runs other instances abandoned. One per instance.
 */
public record RunControl(LiveRuns live, RunStreams streams, RunRecovery recovery, RunSettings settings) {

    public static RunControl create(EventLog log, RunRecords records, Clock clock, IdSource ids, RunSettings settings) {
        LiveRuns live = new LiveRuns(log, records.runs(), clock, settings);
        return new RunControl(live, new RunStreams(live, log, records.runs(), clock, settings),
                new RunRecovery(records, log, live, clock, ids, settings), settings);
    }
}
