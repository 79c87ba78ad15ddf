namespace MiniPaas.Core.Persistence;

/// <summary>
/// A visitor id seen in a project on a UTC day, with the first and last hour it was seen that day. Unique visitors over
/// windows longer than a day read these (one row per visitor and day instead of one per visitor and hour): a visitor is
/// in the window's first, partial day when its <see cref="LastHour"/> falls inside the window, and in the last, partial day
/// when its <see cref="FirstHour"/> does, so the count stays exact.
/// </summary>
public sealed class RequestDailyVisitorRecord
{
    public long ProjectId { get; set; }
    public DateOnly Day { get; set; }
    public long VisitorId { get; set; }
    /// <summary>Start of the first hour (UTC) of <see cref="Day"/> with a request of this visitor.</summary>
    public DateTimeOffset FirstHour { get; set; }
    /// <summary>Start of the last hour (UTC) of <see cref="Day"/> with a request of this visitor.</summary>
    public DateTimeOffset LastHour { get; set; }
}

/// <summary>
/// The highest <c>request_events.seq</c> written by the ingestor (one row, id 1), raised in each batch's transaction.
/// <c>request_events</c> has no index on <c>seq</c> (it would cost binary COPY a large share of its speed), so start-up seeds
/// <see cref="LogSequences.Analytics"/> from here instead of scanning the table.
/// </summary>
public sealed class RequestEventHighWaterRecord
{
    public const short SingletonId = 1;

    public short Id { get; set; }
    public long LastSeq { get; set; }
}
