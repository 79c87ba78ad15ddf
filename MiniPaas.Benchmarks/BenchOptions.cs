using System.Globalization;

namespace MiniPaas.Benchmarks;

/// <summary>Command-line options; every count is bounded so a run ends in minutes.</summary>
public sealed record BenchOptions(int Repetitions, int Requests, int Concurrency, int Rounds, bool Node, string? Output, string DockerHost, bool LogsOnly = false)
{
    /// <summary>Every suite, in the order they run; <c>proxy-httpclient</c> (the first in-process load generator) only on request.</summary>
    public static readonly IReadOnlyList<string> AllSuites = ["deploy", "proxy", "redeploy", "startup", "dashboard", "proxy-httpclient"];

    /// <summary>Suites to run (<c>--suites a,b</c>); default all but <c>proxy-httpclient</c>.</summary>
    public IReadOnlySet<string> Suites { get; init; } = AllSuites.Where(s => s != "proxy-httpclient").ToHashSet();

    /// <summary>wrk connections for the maximum-throughput runs.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>wrk connections for the fixed-rate (half load) runs.</summary>
    public int LatencyConnections { get; init; } = 16;

    /// <summary>Seconds per wrk run.</summary>
    public int WrkSeconds { get; init; } = 5;

    /// <summary>Markdown file whose results section (between the markers in <see cref="Suites.DocsSection"/>) is rewritten.</summary>
    public string? DocsFile { get; init; }

    public bool Runs(string suite) => Suites.Contains(suite);

    public const string Usage = """
        Usage: dotnet run -c Release --project MiniPaas.Benchmarks -- [options]
          --reps N         deploys per path and cache state (default 5)
          --requests N     requests per proxy round (default 5000)
          --concurrency N  concurrent requests in the proxy benchmark (default 8)
          --rounds N       proxy rounds, direct and ingress alternating (default 3)
          --no-node        skip the Node app (busybox only; the proxy benchmark then uses busybox httpd)
          --suites A,B     suites to run: deploy, proxy, redeploy, startup, dashboard (default: all), proxy-httpclient
          --connections N  wrk connections for maximum throughput (default 32)
          --latency-connections N  wrk connections at half load (default 16)
          --wrk-seconds N  seconds per wrk run (default 5)
          --docs FILE      rewrite the generated section of FILE (docs/benchmarks.md) with this run's results
          --logs           only the live-log benchmark (throughput ratio, write→browser latency, DOM size); --rounds sets its rounds
          --out FILE       also write the Markdown results to FILE
          --docker-host U  Docker engine for both paths (default $DOCKER_HOST, else unix:///var/run/docker.sock);
                           use a private engine when other MiniPaas instances share the default one (docs/benchmarks.md)
        """;

    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        var defaultHost = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } fromEnvironment ? fromEnvironment : "unix:///var/run/docker.sock";
        var options = new BenchOptions(5, 5000, 8, 3, true, null, defaultHost);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--reps" when Positive(args, ++i) is { } n:
                    options = options with { Repetitions = n };
                    break;
                case "--requests" when Positive(args, ++i) is { } n:
                    options = options with { Requests = n };
                    break;
                case "--concurrency" when Positive(args, ++i) is { } n:
                    options = options with { Concurrency = n };
                    break;
                case "--rounds" when Positive(args, ++i) is { } n:
                    options = options with { Rounds = n };
                    break;
                case "--logs":
                    options = options with { LogsOnly = true };
                    break;
                case "--no-node":
                    options = options with { Node = false };
                    break;
                case "--docker-host" when i + 1 < args.Count && Uri.TryCreate(args[i + 1], UriKind.Absolute, out _):
                    options = options with { DockerHost = args[++i] };
                    break;
                case "--suites" when i + 1 < args.Count && args[i + 1].Split(',') is var names && names.All(AllSuites.Contains):
                    options = options with { Suites = names.ToHashSet() };
                    i++;
                    break;
                case "--connections" when Positive(args, ++i) is { } n:
                    options = options with { Connections = n };
                    break;
                case "--latency-connections" when Positive(args, ++i) is { } n:
                    options = options with { LatencyConnections = n };
                    break;
                case "--wrk-seconds" when Positive(args, ++i) is { } n:
                    options = options with { WrkSeconds = n };
                    break;
                case "--docs" when i + 1 < args.Count:
                    options = options with { DocsFile = args[++i] };
                    break;
                case "--out" when i + 1 < args.Count:
                    options = options with { Output = args[++i] };
                    break;
                default:
                    return null;
            }
        }

        return options;
    }

    private static int? Positive(IReadOnlyList<string> args, int index) =>
        index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
}
