using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Events;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>
/// Probes the Docker engine every <see cref="DockerOptions.ProbeInterval"/> (version + ping) and publishes changes.
/// A down engine never stops the app: the status says why, and the next probe reconnects by itself.
/// </summary>
public sealed partial class DockerEngineMonitor(
    DockerClientProvider clients,
    IOptions<DockerOptions> options,
    TimeProvider timeProvider,
    ILogger<DockerEngineMonitor> logger) : BackgroundService, IEngineStatus
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private readonly EventFeed<int, EngineStatus> _changes = new(subscriberCapacity: 64);
    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private EngineStatus _current = new(false, options.Value.Endpoint, null, null, "Not checked yet", timeProvider.GetUtcNow());

    public EngineStatus Current => Volatile.Read(ref _current);

    public async IAsyncEnumerable<EngineStatus> WatchAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        // Subscribe before reading Current so a change between the two is not lost; the reference check drops the duplicate.
        using var subscription = _changes.Subscribe(0);
        var last = Current;
        yield return last;
        await foreach (var batch in subscription.ReadBatchesAsync(ct).ConfigureAwait(false))
        {
            foreach (var status in batch)
            {
                if (!ReferenceEquals(status, last))
                {
                    last = status;
                    yield return status;
                }
            }
        }
    }

    /// <summary>Probes now, updates <see cref="Current"/> (publishing when it changed) and returns it. Never throws for engine failures.</summary>
    public async Task<EngineStatus> ProbeAsync(CancellationToken ct = default)
    {
        await _probeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var status = await ReadStatusAsync(ct).ConfigureAwait(false);
            var previous = Current;
            var changed = previous.IsConnected != status.IsConnected
                || previous.Version != status.Version
                || previous.ApiVersion != status.ApiVersion
                || previous.Error != status.Error;
            if (!changed)
            {
                // Keep the same instance so watchers see only real changes, but refresh the time of the reading.
                status = previous with { CheckedAt = status.CheckedAt };
            }

            Volatile.Write(ref _current, status);
            if (changed)
            {
                if (status.IsConnected)
                {
                    LogConnected(status.Endpoint, status.Version, status.ApiVersion);
                }
                else
                {
                    LogDisconnected(status.Error);
                }

                _changes.Publish(0, status);
            }

            return status;
        }
        finally
        {
            _probeGate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Yield first so host start-up is never held up by a slow or absent engine.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ProbeAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One odd failure must not end the loop that reconnects the engine.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogProbeFailed(ex);
            }

            try
            {
                await Task.Delay(options.Value.ProbeInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _probeGate.Dispose();
        base.Dispose();
    }

    private async Task<EngineStatus> ReadStatusAsync(CancellationToken ct)
    {
        var endpoint = options.Value.Endpoint;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var client = clients.GetClient(endpoint);
            var version = await client.System.GetVersionAsync(timeout.Token).ConfigureAwait(false);
            await client.System.PingAsync(timeout.Token).ConfigureAwait(false);
            return new EngineStatus(true, endpoint, version.Version, version.APIVersion, null, timeProvider.GetUtcNow());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Every failure of the probe is a status, not an exception.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new EngineStatus(false, endpoint, null, null, DockerErrors.Unreachable(endpoint, ex), timeProvider.GetUtcNow());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Docker engine connected at {Endpoint} (version {Version}, API {ApiVersion})")]
    private partial void LogConnected(string endpoint, string? version, string? apiVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Error}")]
    private partial void LogDisconnected(string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Docker engine probe failed unexpectedly")]
    private partial void LogProbeFailed(Exception exception);
}
