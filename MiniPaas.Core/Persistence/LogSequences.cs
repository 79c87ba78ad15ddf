using MiniPaas.Core.Events;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// The in-process sequence numbers of log lines and analytics events (the <c>seq</c> columns), seeded at start-up
/// from <c>max(seq)</c> of each log table (for analytics, from <c>request_events_high_water</c>) so numbers keep increasing
/// across restarts.
/// </summary>
public sealed class LogSequences
{
    /// <summary>Numbers <c>build_logs.seq</c>.</summary>
    public SequenceGenerator BuildLogs { get; } = new();

    /// <summary>Numbers <c>runtime_logs.seq</c>.</summary>
    public SequenceGenerator RuntimeLogs { get; } = new();

    /// <summary>Numbers <c>request_events.seq</c>.</summary>
    public SequenceGenerator Analytics { get; } = new();
}
