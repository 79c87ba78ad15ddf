using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Persistence.Resolution;
using Npgsql;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// Chooses the database at start-up, first that works: (a) the configured <c>MiniPaas:Database:ConnectionString</c>;
/// (b) a private cluster run from local PostgreSQL server binaries (see <see cref="ClusterLocation"/> for where it lives);
/// (c) a PostgreSQL container through the Docker engine; otherwise <see cref="DatabaseUnavailableException"/>.
/// </summary>
public sealed class DatabaseResolver
{
    private readonly DatabaseOptions _database;
    private readonly MiniPaasOptions _miniPaas;
    private readonly DockerOptions _docker;
    private readonly IReadOnlyList<string> _binaryCandidates;
    private readonly ILogger<DatabaseResolver> _logger;

    public DatabaseResolver(IOptions<DatabaseOptions> database, IOptions<MiniPaasOptions> miniPaas, IOptions<DockerOptions> docker, ILogger<DatabaseResolver> logger)
        : this(
            database?.Value ?? throw new ArgumentNullException(nameof(database)),
            miniPaas?.Value ?? throw new ArgumentNullException(nameof(miniPaas)),
            docker?.Value ?? throw new ArgumentNullException(nameof(docker)),
            PostgresServerBinaries.CandidateDirectories(database.Value.ServerBinDirectory),
            logger)
    {
    }

    /// <param name="binaryCandidates">Folders searched for initdb and pg_ctl (tests pass none to rule the private cluster out).</param>
    internal DatabaseResolver(DatabaseOptions database, MiniPaasOptions miniPaas, DockerOptions docker, IReadOnlyList<string> binaryCandidates, ILogger<DatabaseResolver> logger)
    {
        _database = database;
        _miniPaas = miniPaas;
        _docker = docker;
        _binaryCandidates = binaryCandidates;
        _logger = logger;
    }

    /// <summary>Finds, starts if needed, and checks the database. Dispose the result to stop what was started.</summary>
    /// <exception cref="DatabaseUnavailableException">No way worked; the message says what to do.</exception>
    public async Task<ResolvedDatabase> ResolveAsync(CancellationToken ct = default)
    {
        var resolved = await ResolveCoreAsync(ct).ConfigureAwait(false);
        var d = resolved.Description;
        _logger.DatabaseChosen(d.Source, d.Host, d.Port, d.Database, d.Detail);
        return resolved;
    }

    private async Task<ResolvedDatabase> ResolveCoreAsync(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(_database.ConnectionString))
        {
            return await UseConfiguredAsync(_database.ConnectionString, ct).ConfigureAwait(false);
        }

        if (PostgresServerBinaries.Find(_binaryCandidates) is { } binDirectory)
        {
            return await StartPrivateClusterAsync(binDirectory, ct).ConfigureAwait(false);
        }

        _logger.NoServerBinaries(string.Join(", ", _binaryCandidates.Take(8)) + (_binaryCandidates.Count > 8 ? ", PATH" : ""));
        var container = new DatabaseContainer(_database, _docker, _miniPaas.ResolvedDataDirectory, _logger);
        if (await container.TryStartAsync(ct).ConfigureAwait(false) is { } fromContainer)
        {
            return fromContainer;
        }

        throw new DatabaseUnavailableException(
            "MiniPaas found no PostgreSQL: no connection string is configured, no PostgreSQL server binaries (initdb, pg_ctl) were found, "
            + $"and the Docker engine at {_docker.Endpoint} cannot be reached. " + DatabaseUnavailableException.Remedies);
    }

    private static async Task<ResolvedDatabase> UseConfiguredAsync(string connectionString, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // The message of a parse error can quote the string, password included: do not pass it on.
            throw new DatabaseUnavailableException("MiniPaas:Database:ConnectionString is not a valid PostgreSQL connection string (e.g. Host=127.0.0.1;Port=5432;Database=minipaas;Username=minipaas;Password=...).", e);
        }

        var description = new DatabaseDescription(
            DatabaseSource.Configured, builder.Host ?? "localhost", builder.Port, builder.Database ?? builder.Username ?? "", "configured in MiniPaas:Database:ConnectionString");
        await EnsureReachableAsync(connectionString, description, ct).ConfigureAwait(false);
        return new ResolvedDatabase(connectionString, description);
    }

    private async Task<ResolvedDatabase> StartPrivateClusterAsync(string binDirectory, CancellationToken ct)
    {
        var runAsPostgres = ClusterLocation.IsRoot;
        var directory = ClusterLocation.For(_miniPaas.ResolvedDataDirectory, runAsPostgres);
        var cluster = new PrivateCluster(directory, binDirectory, runAsPostgres, _logger);
        try
        {
            await cluster.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new ResolvedDatabase(
            cluster.ConnectionString(),
            new DatabaseDescription(DatabaseSource.PrivateCluster, "127.0.0.1", cluster.Port, PrivateCluster.DefaultDatabase, $"private cluster in {directory} ({binDirectory})"),
            cluster);
    }

    /// <summary>Opens a connection so an unreachable database fails start-up with one clear line rather than at first use.</summary>
    internal static async Task EnsureReachableAsync(string connectionString, DatabaseDescription description, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Timeout > 10)
        {
            builder.Timeout = 10;
        }

        try
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            throw new DatabaseUnavailableException(
                $"The configured database at {description.Host}:{description.Port}{(description.Database.Length > 0 ? $" (database '{description.Database}')" : "")} cannot be reached: {OneLine(e)} "
                + "Check MiniPaas:Database:ConnectionString (environment variable MiniPaas__Database__ConnectionString), or leave it empty to use the embedded default.",
                e);
        }
    }

    private static string OneLine(Exception e)
    {
        // "Failed to connect to 127.0.0.1:5432" alone hides why; the innermost error ("Connection refused") says it.
        var root = e.GetBaseException();
        var text = ReferenceEquals(root, e) || root.Message == e.Message ? e.Message : $"{e.Message.TrimEnd('.')} ({root.Message.TrimEnd('.')})";
        return text.ReplaceLineEndings(" ").TrimEnd('.') + ".";
    }
}
