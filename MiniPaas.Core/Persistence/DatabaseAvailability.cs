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

    /// <summary>Completes with the new state as soon as <see cref="IsAvailable"/> differs from <paramref name="seen"/>.</summary>
    public async Task<bool> WaitForChangeAsync(bool seen, CancellationToken ct)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_isAvailable != seen)
                {
                    return _isAvailable;
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
                await Task.Delay(IsAvailable ? CheckWhileUp : CheckWhileDown, timeProvider, stoppingToken).ConfigureAwait(false);
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
