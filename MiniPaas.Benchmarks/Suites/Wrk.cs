using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>One wrk run: throughput, latency percentiles (µs-precise as wrk prints them) and failures.</summary>
public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Failures, double LoadAverage);

/// <summary>
/// Drives Debian's <c>wrk</c> (a benchmark-only dependency: <c>apt-get install -y wrk</c>). One wrk thread pinned to the
/// last core with <c>taskset</c>: wrk costs a few µs of CPU per request (an HttpClient load generator costs several times
/// that), and pinning keeps it from migrating between the two cores the proxy and the backend share, which made the spread
/// between rounds larger. Connections to 127.0.0.1 with an explicit Host header, since *.localhost does not resolve here.
/// </summary>
public static partial class Wrk
{
    /// <summary>
    /// Fixed rate with wrk's <c>delay()</c> hook: every thread keeps a grid of send times 1/rate apart (LuaJIT's FFI reads
    /// CLOCK_MONOTONIC), so the mean rate is exact while connections keep up. wrk's timer has 1 ms resolution, so requests
    /// leave in micro-bursts of about rate/1000; both paths get the same bursts. wrk times each request from its first byte
    /// written, so queueing in the generator is not counted (fine at half load, where nothing queues).
    /// </summary>
    private const string FixedRateScript = """
        local ffi = require("ffi")
        ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec; int clock_gettime(int, bench_timespec*); ]]
        local ts = ffi.new("bench_timespec")
        local function now_ms() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6 end
        local interval, next_at
        function init(args) interval = tonumber(args[1]) end
        function delay()
          local t = now_ms()
          if next_at == nil or next_at < t - 100 then next_at = t end
          next_at = next_at + interval
          local d = next_at - t
          if d < 0 then return 0 end
          return d
        end
        """;

    public static bool IsInstalled => File.Exists("/usr/bin/wrk");

    /// <summary>Closed loop, as fast as it goes.</summary>
    public static Task<WrkResult> MaxAsync(int port, string? host, int connections, TimeSpan duration, CancellationToken ct) =>
        RunAsync(port, host, connections, duration, script: null, scriptArgs: [], ct);

    /// <summary>Open loop at <paramref name="requestsPerSecond"/> (see <see cref="FixedRateScript"/>).</summary>
    public static async Task<WrkResult> FixedRateAsync(int port, string? host, int connections, double requestsPerSecond, TimeSpan duration, CancellationToken ct)
    {
        var script = Path.Combine(Path.GetTempPath(), "minipaas-bench-fixed-rate.lua");
        await File.WriteAllTextAsync(script, FixedRateScript, ct);
        var intervalMs = 1000.0 / requestsPerSecond;
        return await RunAsync(port, host, connections, duration, script, [intervalMs.ToString("R", CultureInfo.InvariantCulture)], ct);
    }

    private static async Task<WrkResult> RunAsync(int port, string? host, int connections, TimeSpan duration, string? script, IReadOnlyList<string> scriptArgs, CancellationToken ct)
    {
        var core = (Environment.ProcessorCount - 1).ToString(CultureInfo.InvariantCulture);
        var arguments = new List<string>
        {
            "-c", core, "/usr/bin/wrk", "-t1", "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{Math.Max(1, (int)duration.TotalSeconds)}s", "--latency", "--timeout", "5s",
        };
        if (host is not null)
        {
            arguments.AddRange(["-H", $"Host: {host}"]);
        }

        if (script is not null)
        {
            arguments.AddRange(["-s", script]);
        }

        arguments.Add($"http://127.0.0.1:{port}/");
        if (scriptArgs.Count > 0)
        {
            arguments.Add("--");
            arguments.AddRange(scriptArgs);
        }

        var result = await Cli.Wrap("taskset").WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        }

        return Parse(result.StandardOutput, LoadAverage.Now());
    }

    /// <summary>Reads wrk's text report (with <c>--latency</c>).</summary>
    public static WrkResult Parse(string output, double loadAverage)
    {
        ArgumentNullException.ThrowIfNull(output);
        var rps = double.Parse(RequestsPerSecondLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(RequestsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var failures = 0L;
        if (Non2xxLine().Match(output) is { Success: true } non2xx)
        {
            failures += long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        if (SocketErrorsLine().Match(output) is { Success: true } socket)
        {
            failures += Enumerable.Range(1, 4).Sum(i => long.Parse(socket.Groups[i].Value, CultureInfo.InvariantCulture));
        }

        return new WrkResult(rps, Percentile(output, "50"), Percentile(output, "99"), requests, failures, loadAverage);
    }

    private static double Percentile(string output, string percent)
    {
        var match = Regex.Match(output, $@"^\s+{percent}(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw new FormatException($"No {percent}% latency in wrk output:\n{output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            _ => value * 1000,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecondLine();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();
}

/// <summary>The 1-minute load average, written next to each result (the machine is shared).</summary>
public static class LoadAverage
{
    public static double Now() =>
        File.Exists("/proc/loadavg")
            && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : double.NaN;
}
