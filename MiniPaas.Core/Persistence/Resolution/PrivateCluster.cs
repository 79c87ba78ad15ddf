using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;
using Npgsql;
using MiniPaas.Core.Networking;

namespace MiniPaas.Core.Persistence.Resolution;

/// <summary>
/// A PostgreSQL cluster MiniPaas creates and runs itself from local server binaries: loopback only, on a port chosen at
/// creation and remembered in <c>&lt;cluster&gt;/port</c>, its Unix socket in <c>&lt;cluster&gt;/run</c>, password authentication
/// with a generated password kept in <c>&lt;cluster&gt;/password</c> (mode 600, owned by the MiniPaas user).
/// Layout: <c>data/</c> (PGDATA), <c>run/</c> (socket), <c>postgres.log</c>, <c>port</c>, <c>password</c>.
/// Disposing stops the server.
/// </summary>
internal sealed class PrivateCluster(string clusterDirectory, string binDirectory, bool runAsPostgresUser, ILogger logger, bool durable = true)
    : IAsyncDisposable
{
    public const string SuperUser = "minipaas";
    public const string DefaultDatabase = "minipaas";

    private const string PostgresUser = "postgres";
    private bool _running;

    public string ClusterDirectory { get; } = clusterDirectory;

    public string BinDirectory { get; } = binDirectory;

    public int Port { get; private set; }

    /// <summary>True when <see cref="StartAsync"/> found the server already running (another MiniPaas process uses it).</summary>
    public bool WasAlreadyRunning { get; private set; }

    private string DataDirectory => Path.Combine(ClusterDirectory, "data");

    private string SocketDirectory => Path.Combine(ClusterDirectory, "run");

    private string LogFile => Path.Combine(ClusterDirectory, "postgres.log");

    private string PortFile => Path.Combine(ClusterDirectory, "port");

    private string PasswordFile => Path.Combine(ClusterDirectory, "password");

    /// <summary>Creates the cluster on first use, starts it (or adopts one left running) and makes sure the <c>minipaas</c> database exists.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(ct).ConfigureAwait(false);
        }

        Port = int.Parse(await File.ReadAllTextAsync(PortFile, ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (await IsServerRunningAsync(ct).ConfigureAwait(false))
        {
            logger.ClusterAlreadyRunning(ClusterDirectory);
            WasAlreadyRunning = true;
        }
        else
        {
            await StartServerAsync(ct).ConfigureAwait(false);
        }

        _running = true;
        await CreateDatabaseIfMissingAsync(DefaultDatabase, ct).ConfigureAwait(false);
    }

    /// <summary>Connection string to <paramref name="database"/> over loopback TCP.</summary>
    public string ConnectionString(string database = DefaultDatabase) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Database = database,
        Username = SuperUser,
        Password = File.ReadAllText(PasswordFile).Trim(),
    }.ConnectionString;

    public async Task CreateDatabaseIfMissingAsync(string database, CancellationToken ct = default)
    {
        // Unpooled: a pooled connection could be a dead one from before a restart of this cluster.
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false };
        var connection = new NpgsqlConnection(admin.ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
            await using (exists.ConfigureAwait(false))
            {
                if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
                {
                    return;
                }
            }

            // CREATE DATABASE takes no parameters; the name is quoted as an identifier.
            var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await using (create.ConfigureAwait(false))
            {
                await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    public async Task StopAsync(CancellationToken ct = default)
    {
        if (!_running)
        {
            return;
        }

        logger.StoppingCluster(ClusterDirectory);
        await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], ct).ConfigureAwait(false);
        _running = false;

        // Pooled connections now point at a stopped server; drop them so a restart in this process starts clean.
        using var pooled = new NpgsqlConnection(ConnectionString());
        NpgsqlConnection.ClearPool(pooled);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task InitializeAsync(CancellationToken ct)
    {
        logger.InitializingCluster(ClusterDirectory, BinDirectory);
        Directory.CreateDirectory(ClusterDirectory);
        Directory.CreateDirectory(SocketDirectory);
        if (runAsPostgresUser)
        {
            await ChownToPostgresAsync(ClusterDirectory, ct).ConfigureAwait(false);
            await ChownToPostgresAsync(SocketDirectory, ct).ConfigureAwait(false);
        }

        SecretFile.RestrictToOwner(ClusterDirectory);
        SecretFile.RestrictToOwner(SocketDirectory);

        await File.WriteAllTextAsync(PortFile, LoopbackPort.Free().ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await SecretFile.WriteAsync(PasswordFile, password, ct).ConfigureAwait(false);

        // initdb reads the superuser password from a file; it must be readable by the user running initdb, and only briefly exists.
        var passwordForInitdb = Path.Combine(ClusterDirectory, "initdb.pw");
        await SecretFile.WriteAsync(passwordForInitdb, password, ct).ConfigureAwait(false);
        try
        {
            if (runAsPostgresUser)
            {
                await ChownToPostgresAsync(passwordForInitdb, ct).ConfigureAwait(false);
            }

            List<string> arguments = ["-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordForInitdb, "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C"];
            if (!durable)
            {
                arguments.Add("--no-sync");
            }

            var result = await RunAsync("initdb", arguments, ct).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new DatabaseUnavailableException(
                    $"Could not create the private PostgreSQL cluster in {ClusterDirectory} with {BinDirectory}/initdb: {LastLine(result.StandardError)}");
            }
        }
        finally
        {
            File.Delete(passwordForInitdb);
        }
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        if (!IsPortFree(Port))
        {
            var moved = LoopbackPort.Free();
            logger.ClusterPortMoved(Port, moved);
            Port = moved;
            await File.WriteAllTextAsync(PortFile, Port.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        }

        // A throwaway (non-durable) cluster serves whole test runs: dozens of app hosts at once, each with its own pool and
        // background writers, outgrow the default 100 connections.
        // Settings live in an included file MiniPaas rewrites on every start (the port may move); the rest of postgresql.conf stays the user's.
        var mainConfig = Path.Combine(DataDirectory, "postgresql.conf");
        const string Include = "include_if_exists = 'minipaas.conf'";
        if (!(await File.ReadAllTextAsync(mainConfig, ct).ConfigureAwait(false)).Contains(Include, StringComparison.Ordinal))
        {
            await File.AppendAllTextAsync(mainConfig, $"\n# Added by MiniPaas\n{Include}\n", ct).ConfigureAwait(false);
        }

        var settings = $"""
            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = {Quote(SocketDirectory)}
            {(durable ? "" : "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 600")}
            """;
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "minipaas.conf"), settings + "\n", ct).ConfigureAwait(false);

        logger.StartingCluster(ClusterDirectory, Port);
        var result = await RunAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60"], ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DatabaseUnavailableException(
                $"Could not start the private PostgreSQL cluster in {ClusterDirectory} (127.0.0.1:{Port}): {LastLine(result.StandardError)} Server log: {LogFile}: {LastLine(ReadLogTail())}");
        }
    }

    private async Task<bool> IsServerRunningAsync(CancellationToken ct) =>
        (await RunAsync("pg_ctl", ["status", "-D", DataDirectory], ct).ConfigureAwait(false)).ExitCode == 0;

    private Task<BufferedCommandResult> RunAsync(string program, IEnumerable<string> arguments, CancellationToken ct)
    {
        var path = Path.Combine(BinDirectory, program);
        var command = runAsPostgresUser
            ? Cli.Wrap("runuser").WithArguments(["-u", PostgresUser, "--", path, .. arguments])
            : Cli.Wrap(path).WithArguments(arguments);

        // The postgres user may not be able to enter the current folder (e.g. /root), which initdb and pg_ctl dislike.
        return command
            .WithWorkingDirectory(ClusterDirectory)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct)
            .Task;
    }

    private static async Task ChownToPostgresAsync(string path, CancellationToken ct)
    {
        var result = await Cli.Wrap("chown").WithArguments([PostgresUser + ":", path])
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DatabaseUnavailableException($"Could not give {path} to the postgres user: {LastLine(result.StandardError)}");
        }
    }

    private string ReadLogTail()
    {
        try
        {
            return File.Exists(LogFile) ? string.Join('\n', File.ReadLines(LogFile).TakeLast(5)) : "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";


    private static bool IsPortFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
