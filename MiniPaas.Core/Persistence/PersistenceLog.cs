using Microsoft.Extensions.Logging;

namespace MiniPaas.Core.Persistence;

internal static partial class PersistenceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Database: {Source} at {Host}:{Port}, database {Database} ({Detail})")]
    public static partial void DatabaseChosen(this ILogger logger, DatabaseSource source, string host, int port, string database, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "No PostgreSQL server binaries found (looked in {Candidates})")]
    public static partial void NoServerBinaries(this ILogger logger, string candidates);

    [LoggerMessage(Level = LogLevel.Information, Message = "Docker engine at {Endpoint} not reachable for the database container: {Reason}")]
    public static partial void EngineUnreachable(this ILogger logger, string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating the private PostgreSQL cluster in {Directory} with {BinDirectory}")]
    public static partial void InitializingCluster(this ILogger logger, string directory, string binDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting the private PostgreSQL cluster in {Directory} on 127.0.0.1:{Port}")]
    public static partial void StartingCluster(this ILogger logger, string directory, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Private PostgreSQL cluster in {Directory} was already running; using it")]
    public static partial void ClusterAlreadyRunning(this ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping the private PostgreSQL cluster in {Directory}")]
    public static partial void StoppingCluster(this ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Remembered port {OldPort} of the private cluster is taken; moving it to {NewPort}")]
    public static partial void ClusterPortMoved(this ILogger logger, int oldPort, int newPort);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting database container {Name} from {Image} on 127.0.0.1:{Port}")]
    public static partial void StartingContainer(this ILogger logger, string name, string image, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migrations; sequences seeded (build logs {BuildLogs}, runtime logs {RuntimeLogs}, analytics {Analytics})")]
    public static partial void Migrated(this ILogger logger, long buildLogs, long runtimeLogs, long analytics);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    public static partial void DatabaseUnavailable(this ILogger logger, string message);
}
