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
    public void BeginAttach() => _skipAtLast = _seenAtLast;

    /// <summary>True when the line at <paramref name="timestamp"/> is new; advances the position.</summary>
    public bool Accept(EngineTimestamp timestamp)
    {
        if (timestamp == default)
        {
            return true;
        }

        var micros = Micros(timestamp);
        if (micros < _lastMicros)
        {
            return false;
        }

        if (micros == _lastMicros)
        {
            if (_skipAtLast > 0)
            {
                _skipAtLast--;
                return false;
            }

            _seenAtLast++;
            return true;
        }

        _lastMicros = micros;
        _seenAtLast = 1;
        _skipAtLast = 0;
        return true;
    }

    private static long Micros(EngineTimestamp timestamp) => Math.DivRem(timestamp.UnixNanoseconds, 1_000, out var rest) - (rest < 0 ? 1 : 0);
}
