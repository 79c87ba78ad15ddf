using Npgsql;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// The database once start-up resolved and migrated it. Everything that talks to PostgreSQL waits on
/// <see cref="WhenReadyAsync"/> (the <c>IDbContextFactory&lt;MiniPaasDbContext&gt;</c> does), so hosted services started in any
/// order never see a half-migrated schema.
/// </summary>
public sealed class DatabaseConnection : IDatabaseInfo
{
    private readonly TaskCompletionSource<ResolvedDatabase> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DatabaseDescription? Current => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result.Description : null;

    /// <summary>Completes when the database is resolved and migrated; faults with <see cref="DatabaseUnavailableException"/> when start-up failed.</summary>
    public Task<ResolvedDatabase> WhenReadyAsync(CancellationToken ct = default) => _ready.Task.WaitAsync(ct);

    public async Task<bool> IsReachableAsync(CancellationToken ct = default)
    {
        if (!_ready.Task.IsCompletedSuccessfully)
        {
            return false;
        }

        try
        {
            var connection = new NpgsqlConnection(_ready.Task.Result.ConnectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
                var command = new NpgsqlCommand("SELECT 1", connection);
                await using (command.ConfigureAwait(false))
                {
                    return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is 1;
                }
            }
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    internal void SetReady(ResolvedDatabase database) => _ready.TrySetResult(database);

    internal void SetFailed(Exception error) => _ready.TrySetException(error);
}
