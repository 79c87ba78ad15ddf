using System.Globalization;

namespace MiniPaas.Core.Logs;

/// <summary>
/// A log line's engine timestamp with the engine's nanosecond precision (PostgreSQL keeps microseconds, so
/// <see cref="StoredValue"/> truncates; the resume logic compares at that precision).
/// </summary>
public readonly record struct EngineTimestamp(long UnixNanoseconds) : IComparable<EngineTimestamp>
{
    private const long NanosPerTick = 100;

    /// <summary>The timestamp as PostgreSQL stores it (microseconds).</summary>
    public DateTimeOffset StoredValue => DateTimeOffset.UnixEpoch.AddTicks(UnixNanoseconds / 1_000 * 10);

    public static EngineTimestamp FromStored(DateTimeOffset value) =>
        new((value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick);

    /// <summary>The engine's <c>since</c> parameter: seconds and nanoseconds.</summary>
    public string ToSinceParameter()
    {
        var seconds = Math.DivRem(UnixNanoseconds, 1_000_000_000, out var nanos);
        return string.Create(CultureInfo.InvariantCulture, $"{seconds}.{nanos:D9}");
    }

    /// <summary>Parses RFC 3339 with up to nine fractional digits (<c>2026-11-26T00:49:43.123456789Z</c>) as the engine writes it.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out EngineTimestamp timestamp)
    {
        timestamp = default;
        var dot = text.IndexOf('.');
        long fractionNanos = 0;
        ReadOnlySpan<char> whole;
        ReadOnlySpan<char> zone;
        if (dot >= 0)
        {
            whole = text[..dot];
            var rest = text[(dot + 1)..];
            var digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits == 0 || digits > 9)
            {
                return false;
            }

            fractionNanos = long.Parse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture);
            for (var i = digits; i < 9; i++)
            {
                fractionNanos *= 10;
            }

            zone = rest[digits..];
        }
        else
        {
            var zoneStart = text.Length >= 19 ? 19 : text.Length;
            whole = text[..zoneStart];
            zone = text[zoneStart..];
        }

        Span<char> combined = stackalloc char[whole.Length + zone.Length];
        whole.CopyTo(combined);
        zone.CopyTo(combined[whole.Length..]);
        if (!DateTimeOffset.TryParseExact(combined, ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ssZ"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var seconds))
        {
            return false;
        }

        timestamp = new EngineTimestamp(((seconds.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick) + fractionNanos);
        return true;
    }

    public int CompareTo(EngineTimestamp other) => UnixNanoseconds.CompareTo(other.UnixNanoseconds);

    public static bool operator <(EngineTimestamp left, EngineTimestamp right) => left.CompareTo(right) < 0;

    public static bool operator >(EngineTimestamp left, EngineTimestamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(EngineTimestamp left, EngineTimestamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EngineTimestamp left, EngineTimestamp right) => left.CompareTo(right) >= 0;
}
