using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Web.Components.Rendering;
using MudBlazor;

namespace MiniPaas.Web.Components.Pages;

/// <summary>What MiniPaas runs on: database, Docker engine (live), build workers, ingress, data directory.</summary>
public sealed partial class SystemPage(
    IDatabaseInfo databaseInfo,
    IEngineStatus engineStatus,
    IOptions<MiniPaasOptions> miniPaas,
    IOptions<DockerOptions> docker,
    IOptions<BuilderOptions> builder,
    IOptions<IngressOptions> ingress,
    ISnackbar snackbar,
    TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ResolvePollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReachabilityInterval = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _disposed = new();
    private RenderThrottle? _throttle;
    private Task _watching = Task.CompletedTask;
    private Task _probing = Task.CompletedTask;
    private volatile DatabaseDescription? _database;
    private bool? _databaseReachable;
    private volatile EngineStatus? _engine;
    private string _dockerEndpoint = "";
    private string _dataDirectory = "";
    private int _maxConcurrentBuilds;
    private IngressOptions _ingress = new();

    protected override void OnInitialized()
    {
        _database = databaseInfo.Current;
        _engine = engineStatus.Current;
        _dockerEndpoint = docker.Value.Endpoint;
        _dataDirectory = miniPaas.Value.ResolvedDataDirectory;
        _maxConcurrentBuilds = builder.Value.MaxConcurrentBuilds;
        _ingress = ingress.Value;

        // Live parts only make sense with a circuit; prerender shows the snapshot above.
        if (RendererInfo.IsInteractive)
        {
            _throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged), RenderInterval, time);
            _watching = WatchEngineAsync(_disposed.Token);
            _probing = ProbeDatabaseAsync(_disposed.Token);
        }
    }

    private async Task WatchEngineAsync(CancellationToken ct)
    {
        // Yield first so the stream is consumed off the render path.
        await Task.Yield();
        try
        {
            await foreach (var status in engineStatus.WatchAsync(ct))
            {
                _engine = status;
                _throttle?.Request();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Page closed.
        }
#pragma warning disable CA1031 // A broken feed is reported on the page; the circuit stays up.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await InvokeAsync(() => snackbar.Add($"Lost the Docker engine status feed: {exception.Message}", Severity.Error));
        }
    }

    private async Task ProbeDatabaseAsync(CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            // Resolution may finish after the page opened, and reachability changes: re-read both periodically.
            while (true)
            {
                _database = databaseInfo.Current;
                _databaseReachable = _database is null ? null : await IsReachableAsync(ct);
                _throttle?.Request();
                await Task.Delay(_database is null ? ResolvePollInterval : ReachabilityInterval, time, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Page closed.
        }
    }

    private async Task<bool> IsReachableAsync(CancellationToken ct)
    {
        try
        {
            return await databaseInfo.IsReachableAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure to reach the database means "not reachable" here.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static string SourceText(DatabaseSource source) => source switch
    {
        DatabaseSource.Configured => "Configured connection string",
        DatabaseSource.PrivateCluster => "Private cluster (MiniPaas-managed)",
        DatabaseSource.Container => "Docker container",
        _ => source.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        try
        {
            await Task.WhenAll(_watching, _probing);
        }
        catch (OperationCanceledException)
        {
            // Expected on cancellation.
        }

        _throttle?.Dispose();
        _disposed.Dispose();
    }
}
