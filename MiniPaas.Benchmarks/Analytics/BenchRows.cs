using MiniPaas.Core.Analytics;

namespace MiniPaas.Benchmarks.Analytics;

/// <summary>Synthetic request rows with realistic spread (paths, statuses, agents, log-normal latencies), in time order.</summary>
public static class BenchRows
{
    private static readonly string[] Paths = [.. Enumerable.Range(0, 200).Select(i => i < 20 ? $"/page/{i}" : $"/api/items/{i}")];
    private static readonly string?[] Referrers = [null, null, null, "news.example", "search.example", "social.example"];
    private static readonly short[] Statuses = [200, 200, 200, 200, 200, 200, 201, 204, 301, 304, 404, 500];

    /// <summary>Rows <paramref name="first"/>..<paramref name="first"/>+<paramref name="count"/> of <paramref name="total"/> spread evenly over [<paramref name="from"/>, +<paramref name="span"/>).</summary>
    public static List<RequestRow> Chunk(long first, int count, long total, long projectId, DateTimeOffset from, TimeSpan span, Random random)
    {
        var rows = new List<RequestRow>(count);
        for (var i = 0; i < count; i++)
        {
            var n = first + i;
            var at = from + TimeSpan.FromTicks((long)(span.Ticks * (n / (double)total)));
            var agent = random.Next(10) switch { < 7 => UserAgentClass.Browser, < 9 => UserAgentClass.Bot, _ => UserAgentClass.Other };
            rows.Add(new RequestRow(
                n + 1, projectId, 1, at, "GET", Paths[random.Next(Paths.Length)], null, Statuses[random.Next(Statuses.Length)],
                (float)Math.Exp(random.NextDouble() * 7 - 1), random.Next(0, 300), random.Next(200, 40_000),
                Referrers[random.Next(Referrers.Length)], agent, random.Next(0, 20_000), null));
        }

        return rows;
    }
}
