using System.Diagnostics;
using System.Globalization;
using MiniPaas.Core.Networking;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>
/// MiniPaas.Web as its own process (<c>dotnet MiniPaas.Web.dll</c> from this build's output, server GC as shipped), for what
/// only a real process shows: time from process start to <c>/readyz</c> green, and its resident memory.
/// </summary>
public sealed class MiniPaasProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;

    private MiniPaasProcess(Process process, int dashboardPort, int ingressPort, TimeSpan ready)
    {
        _process = process;
        DashboardPort = dashboardPort;
        IngressPort = ingressPort;
        TimeToReady = ready;
    }

    public int DashboardPort { get; }

    public int IngressPort { get; }

    /// <summary>From <see cref="Process.Start()"/> to the first 200 from <c>/readyz</c> (polled every 20 ms).</summary>
    public TimeSpan TimeToReady { get; }

    public int Id => _process.Id;

    /// <summary>Resident set size now (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Starts MiniPaas on <paramref name="dataDirectory"/> and waits until it is ready (or throws after 2 minutes).</summary>
    public static async Task<MiniPaasProcess> StartAsync(string dataDirectory, string dockerEndpoint, CancellationToken ct)
    {
        var binaries = AppContext.BaseDirectory;
        var dashboardPort = LoopbackPort.Free();
        var ingressPort = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = binaries };
        foreach (var argument in new[] { Path.Combine(binaries, "MiniPaas.Web.dll"), "--urls", $"http://127.0.0.1:{dashboardPort}" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["MiniPaas__DataDirectory"] = dataDirectory;
        start.Environment["MiniPaas__Ingress__Port"] = ingressPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["MiniPaas__Docker__Endpoint"] = dockerEndpoint;
        start.Environment["MiniPaas__Runtime__NetworkMode"] = "host";
        start.Environment["MiniPaas__Builder__NetworkMode"] = "host";
        start.Environment["MiniPaas__Builder__BaseImages__node"] = BaseImages.Node;
        start.Environment["MiniPaas__Builder__BaseImages__static"] = BaseImages.Busybox;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start MiniPaas.Web.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var readyz = new Uri($"http://127.0.0.1:{dashboardPort}/readyz");
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(readyz, ct);
                if (response.IsSuccessStatusCode)
                {
                    return new MiniPaasProcess(process, dashboardPort, ingressPort, clock.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited || clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                throw new InvalidOperationException($"MiniPaas did not become ready: {string.Join('\n', output.TakeLast(20))}");
            }

            await Task.Delay(20, ct);
        }
    }

    /// <summary>SIGTERM (graceful: the embedded database stops cleanly), then waits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
