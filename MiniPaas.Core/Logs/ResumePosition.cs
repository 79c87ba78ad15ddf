namespace MiniPaas.Core.Logs;

/// <summary>
/// Where a container's output has been read up to, at the database's microsecond precision: the last timestamp and how many lines
/// carried it. The engine's <c>since</c> is inclusive, so on each (re)attach the lines already seen at that timestamp are skipped
/// and earlier ones ignored — no line is lost and none is taken twice.
/// </summary>
public sealed class ResumePosition
{
    private long _lastMicros = long.MinValue;
    private int _seenAtLast;
    private int _skipAtLast;
    private long _attachFromMicros = long.MinValue;

    public ResumePosition()
    {
    }

    public ResumePosition(ResumePoint? stored)
    {
        if (stored is not null)
        {
            _lastMicros = Micros(stored.Last);
            _seenAtLast = stored.LinesAtLast;
        }
    }

    /// <summary>The engine's <c>since</c> for the next attach; null reads everything.</summary>
    public EngineTimestamp? Since => _lastMicros == long.MinValue ? null : new EngineTimestamp(_lastMicros * 1_000);

    /// <summary>Call before reading a new log stream from <see cref="Since"/>.</summary>
    public void BeginAttach()
    {
        _attachFromMicros = _lastMicros;
        _skipAtLast = _seenAtLast;
    }

    /// <summary>True when the line at <paramref name="timestamp"/> is new; advances the position.</summary>
    /// <remarks>
    /// Only lines at or before the point this attach resumed from can have been seen already. Within one stream the engine
    /// never repeats a line, but stdout and stderr are stamped by separate copiers, so a stderr line may carry a timestamp a
    /// moment earlier than the stdout line before it: that line is new, it just does not move the resume point.
    /// </remarks>
    public bool Accept(EngineTimestamp timestamp)
    {
        if (timestamp == default)
        {
            return true;
        }

        var micros = Micros(timestamp);
        if (micros < _attachFromMicros)
        {
            return false;
        }

        if (micros == _attachFromMicros && _skipAtLast > 0)
        {
            _skipAtLast--;
            return false;
        }

        if (micros > _lastMicros)
        {
            _lastMicros = micros;
            _seenAtLast = 1;
        }
        else if (micros == _lastMicros)
        {
            _seenAtLast++;
        }

        return true;
    }

    private static long Micros(EngineTimestamp timestamp) => Math.DivRem(timestamp.UnixNanoseconds, 1_000, out var rest) - (rest < 0 ? 1 : 0);
}
