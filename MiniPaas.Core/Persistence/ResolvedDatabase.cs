namespace MiniPaas.Core.Persistence;

/// <summary>
/// The database chosen at start-up. <see cref="ConnectionString"/> holds the password: never log it, log <see cref="Description"/>.
/// Disposing stops what MiniPaas started for it (the private cluster).
/// </summary>
public sealed class ResolvedDatabase(string connectionString, DatabaseDescription description, IAsyncDisposable? owner = null) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    public DatabaseDescription Description { get; } = description;

    /// <summary>
    /// True when the private cluster was already running before this resolution (a running MiniPaas owns it): a short-lived
    /// command such as <c>reset-owner</c> must then leave it running instead of disposing.
    /// </summary>
    public bool IsSharedWithRunningInstance => owner is Resolution.PrivateCluster { WasAlreadyRunning: true };

    public ValueTask DisposeAsync() => owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
