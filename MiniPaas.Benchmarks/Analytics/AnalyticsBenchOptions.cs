using System.Globalization;

namespace MiniPaas.Benchmarks.Analytics;

/// <summary>Options of <c>analytics</c> mode; every count is bounded so a run ends in minutes.</summary>
public sealed record AnalyticsBenchOptions(int Events, int ProxyRequests, int ProxyRounds, int Concurrency, int InsertRows, int CopyRows, int RawRepetitions, int RollupRepetitions, string? Output, bool QueriesOnly = false)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project MiniPaas.Benchmarks -- analytics [options]
          --events N        events generated for the chart-query benchmark (default 10000000)
          --requests N      requests per proxy round (default 5000)
          --rounds N        proxy rounds, capture off and on alternating (default 3)
          --concurrency N   concurrent requests in the proxy benchmark (default 8)
          --insert-rows N   rows written one INSERT at a time (default 5000)
          --copy-rows N     rows written with binary COPY (default 300000)
          --raw-reps N      repetitions of each raw-table query (default 3)
          --rollup-reps N   repetitions of each rollup query (default 30)
          --out FILE        also write the Markdown results to FILE
          --queries-only    run only the chart-query benchmark
        """;

    public static AnalyticsBenchOptions? Parse(IReadOnlyList<string> args)
    {
        var o = new AnalyticsBenchOptions(10_000_000, 5000, 3, 8, 5000, 300_000, 3, 30, null);
        for (var i = 0; i < args.Count; i++)
        {
            var n = i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : (int?)null;
            switch (args[i])
            {
                case "--events" when n is not null: o = o with { Events = n.Value }; i++; break;
                case "--requests" when n is not null: o = o with { ProxyRequests = n.Value }; i++; break;
                case "--rounds" when n is not null: o = o with { ProxyRounds = n.Value }; i++; break;
                case "--concurrency" when n is not null: o = o with { Concurrency = n.Value }; i++; break;
                case "--insert-rows" when n is not null: o = o with { InsertRows = n.Value }; i++; break;
                case "--copy-rows" when n is not null: o = o with { CopyRows = n.Value }; i++; break;
                case "--raw-reps" when n is not null: o = o with { RawRepetitions = n.Value }; i++; break;
                case "--rollup-reps" when n is not null: o = o with { RollupRepetitions = n.Value }; i++; break;
                case "--out" when i + 1 < args.Count: o = o with { Output = args[++i] }; break;
                case "--queries-only": o = o with { QueriesOnly = true }; break;
                default: return null;
            }
        }

        return o;
    }
}
