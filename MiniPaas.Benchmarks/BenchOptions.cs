using System.Globalization;

namespace MiniPaas.Benchmarks;

/// <summary>Command-line options; every count is bounded so a run ends in minutes.</summary>
public sealed record BenchOptions(int Repetitions, int Requests, int Concurrency, int Rounds, bool Node, string? Output, string DockerHost, bool LogsOnly = false)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project MiniPaas.Benchmarks -- [options]
          --reps N         deploys per path and cache state (default 5)
          --requests N     requests per proxy round (default 5000)
          --concurrency N  concurrent requests in the proxy benchmark (default 8)
          --rounds N       proxy rounds, direct and ingress alternating (default 3)
          --no-node        skip the Node app (busybox only; the proxy benchmark then uses busybox httpd)
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
