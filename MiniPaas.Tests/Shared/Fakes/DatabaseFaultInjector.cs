using System.Data.Common;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace MiniPaas.Tests.Shared.Fakes;

/// <summary>
/// A test seam on the app's EF contexts (registered as an <see cref="IInterceptor"/> service): fails the next command that
/// matches, the way a connection dropped by PostgreSQL fails it. Inert until <see cref="FailNext"/> is called.
/// </summary>
public sealed class DatabaseFaultInjector : DbCommandInterceptor
{
    private readonly Lock _gate = new();
    private Func<DbCommand, bool>? _match;
    private int _injected;

    /// <summary>How many commands were failed so far.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>Fails the next command for which <paramref name="match"/> is true (once).</summary>
    public void FailNext(Func<DbCommand, bool> match)
    {
        lock (_gate)
        {
            _match = match;
        }
    }

    /// <summary>True when <paramref name="command"/> carries a parameter equal to <paramref name="value"/>.</summary>
    public static bool HasParameter(DbCommand command, object value) =>
        command.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, value));

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        ThrowIfChosen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ThrowIfChosen(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        ThrowIfChosen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ThrowIfChosen(command);
        return ValueTask.FromResult(result);
    }

    private void ThrowIfChosen(DbCommand command)
    {
        lock (_gate)
        {
            if (_match is null || !_match(command))
            {
                return;
            }

            _match = null;
            _injected++;
        }

        throw new NpgsqlException("Exception while reading from stream (injected by the test)", new SocketException((int)SocketError.ConnectionReset));
    }
}
