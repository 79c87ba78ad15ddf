using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// Whether PostgreSQL answers now, for the dashboard's banner. Whoever meets a connection failure reports it
/// (<see cref="ReportUnavailable"/>) so the banner shows at once; a check every <see cref="CheckWhileDown"/> while down (every
/// <see cref="CheckWhileUp"/> while up) turns it back on its own when the database returns — nothing needs a restart.
/// </summary>
public sealed partial class DatabaseAvailability(DatabaseConnection connection, TimeProvider timeProvider, ILogger<DatabaseAvailability> logger)
    : BackgroundService
{
    public static readonly TimeSpan CheckWhileDown = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan CheckWhileUp = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private bool _isAvailable = true;
    private long _version;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>False from the first failure seen (or check failed) until a check succeeds again.</summary>
    public bool IsAvailable
    {
        get
        {
            lock (_gate)
            {
                return _isAvailable;
            }
        }
    }

    /// <summary>Records <paramref name="failure"/> when it says the database is unreachable (<see cref="DatabaseFaults.IsUnavailable"/>); ignores anything else.</summary>
    public void ReportUnavailable(Exception failure)
    {
        if (DatabaseFaults.IsUnavailable(failure))
        {
            Set(false);
        }
    }

    /// <summary>The state now, with its version.</summary>
    public DatabaseAvailabilityState State
    {
        get
        {
            lock (_gate)
            {
                return new(_isAvailable, _version);
            }
        }
    }

    /// <summary>Completes with the state as soon as its version differs from <paramref name="seenVersion"/> (a quick down-and-up counts).</summary>
    public async Task<DatabaseAvailabilityState> WaitForChangeAsync(long seenVersion, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_version != seenVersion)
                {
                    return new(_isAvailable, _version);
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await connection.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Start-up failed and says why on its own; there is nothing to watch.
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Set(await connection.IsReachableAsync(stoppingToken).ConfigureAwait(false));
                Task changed;
                bool isAvailable;
                lock (_gate)
                {
                    changed = _changed.Task;
                    isAvailable = _isAvailable;
                }

                // A report wakes the check at once: it confirms the outage, or clears a failure that was only one connection's.
                var delay = Task.Delay(isAvailable ? CheckWhileUp : CheckWhileDown, timeProvider, stoppingToken);
                await Task.WhenAny(delay, changed).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Set(bool available)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_isAvailable == available)
            {
                return;
            }

            _isAvailable = available;
            _version++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        if (available)
        {
            LogBack(logger);
        }
        else
        {
            LogLost(logger);
        }

        changed.SetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unavailable; MiniPaas keeps serving apps from memory and retries")]
    private static partial void LogLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database is available again")]
    private static partial void LogBack(ILogger logger);
}

/// <summary>Whether the database answers, and a version that grows with every change of it.</summary>
public readonly record struct DatabaseAvailabilityState(bool IsAvailable, long Version);
