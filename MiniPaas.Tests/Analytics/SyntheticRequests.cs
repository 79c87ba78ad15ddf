using MiniPaas.Core.Analytics;

namespace MiniPaas.Tests.Analytics;

/// <summary>Reproducible synthetic request rows (seeded random) for storage and query tests.</summary>
internal static class SyntheticRequests
{
    private static readonly string[] Paths = ["/", "/about", "/api/items", "/login", "/static/app.js"];
    private static readonly string?[] Referrers = [null, null, "news.example", "search.example", "blog.example"];
    private static readonly short[] Statuses = [200, 200, 200, 200, 201, 204, 301, 304, 404, 500, 503, 101];
    private static readonly UserAgentClass[] Agents = [UserAgentClass.Browser, UserAgentClass.Browser, UserAgentClass.Bot, UserAgentClass.Other];

    /// <summary>
    /// <paramref name="count"/> rows spread over [<paramref name="from"/>, <paramref name="from"/> + <paramref name="span"/>), seq from
    /// <paramref name="firstSeq"/>, time order; visitor ids drawn from 1..<paramref name="visitors"/> (the same ids recur across hours and days).
    /// </summary>
    public static List<RequestRow> Create(int count, long[] projectIds, DateTimeOffset from, TimeSpan span, int seed, long firstSeq = 1, int visitors = 59)
    {
        var random = new Random(seed);
        var rows = new List<RequestRow>(count);
        var offsets = Enumerable.Range(0, count).Select(_ => (long)(random.NextDouble() * span.Ticks)).Order().ToArray();
        for (var i = 0; i < count; i++)
        {
            // Log-normal-ish latencies from sub-millisecond to seconds, so many histogram buckets are used.
            var duration = (float)Math.Exp(random.NextDouble() * 9 - 1.5);
            rows.Add(new RequestRow(
                firstSeq + i,
                projectIds[random.Next(projectIds.Length)],
                7,
                from + TimeSpan.FromTicks(offsets[i]),
                "GET",
                Paths[random.Next(Paths.Length)],
                null,
                Statuses[random.Next(Statuses.Length)],
                duration,
                random.Next(0, 500),
                random.Next(0, 50_000),
                Referrers[random.Next(Referrers.Length)],
                Agents[random.Next(Agents.Length)],
                random.Next(1, visitors + 1),
                null));
        }

        return rows;
    }
}
