using MiniPaas.Core.Persistence;

namespace MiniPaas.Tests.Shared.Fakes;

/// <summary>A database description and reachability chosen by the test.</summary>
public sealed class FakeDatabaseInfo(DatabaseDescription? current, bool isReachable = true) : IDatabaseInfo
{
    public DatabaseDescription? Current { get; set; } = current;

    public bool IsReachable { get; set; } = isReachable;

    public static FakeDatabaseInfo Configured() =>
        new(new DatabaseDescription(DatabaseSource.Configured, "127.0.0.1", 5432, "minipaas", "fake for tests"));

    public Task<bool> IsReachableAsync(CancellationToken ct = default) => Task.FromResult(IsReachable);
}
