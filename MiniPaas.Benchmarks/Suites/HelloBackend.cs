using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Networking;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>
/// The bare Kestrel hello-world backend: this same executable started again with <c>--serve-hello PORT</c>, so it is its
/// own process like a deployed app (server GC, as <c>dotnet new web</c> has it). It runs on the host rather than in a
/// container because no .NET base image can be pulled here; with host networking a container's socket path is the same
/// loopback path, so direct and proxied requests are comparable.
/// </summary>
public sealed class HelloBackend : IAsyncDisposable
{
    public const string ServeArgument = "--serve-hello";

    private readonly Process _process;

    private HelloBackend(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The child's entry point: answers every request with "Hello, World!" until killed.</summary>
    public static async Task<int> ServeAsync(string port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync("Hello, World!"));
        await app.RunAsync();
        return 0;
    }

    public static async Task<HelloBackend> StartAsync(CancellationToken ct)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("No process path."))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ServeArgument);
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        start.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the hello backend.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var backend = new HelloBackend(process, port);
        await Probe.WaitFor200Async(port, null, "Hello", TimeSpan.FromSeconds(30), null, ct);
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
