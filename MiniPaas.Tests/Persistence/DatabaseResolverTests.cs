using Docker.DotNet;
using Xunit.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Persistence.Resolution;
using MiniPaas.Tests.Shared;
using Npgsql;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Persistence;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DatabaseResolverTests(ITestOutputHelper output)
{
    private static readonly string[] NoBinaries = [];

    [Fact]
    public async Task Resolve_ConfiguredConnectionString_WinsAndDescriptionHasNoPassword()
    {
        var fixture = await PostgresFixture.GetAsync();
        var connectionString = await fixture.CreateDatabaseAsync(nameof(Resolve_ConfiguredConnectionString_WinsAndDescriptionHasNoPassword));
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password!;

        // Binaries are offered too: the configured string must still win.
        var resolver = Resolver(new DatabaseOptions { ConnectionString = connectionString }, PostgresServerBinaries.CandidateDirectories(null));
        await using var resolved = await resolver.ResolveAsync();

        Assert.Equal(DatabaseSource.Configured, resolved.Description.Source);
        Assert.Equal(connectionString, resolved.ConnectionString);
        Assert.Equal(new NpgsqlConnectionStringBuilder(connectionString).Database, resolved.Description.Database);
        Assert.DoesNotContain(password, resolved.Description.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_ConfiguredButUnreachable_ThrowsOneLineMessageWithoutPassword()
    {
        var port = LoopbackPort.Free();
        var resolver = Resolver(new DatabaseOptions { ConnectionString = $"Host=127.0.0.1;Port={port};Database=app;Username=u;Password=hunter2-secret" }, NoBinaries);

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => resolver.ResolveAsync());
        output.WriteLine(error.Message);

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("MiniPaas__Database__ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Resolve_NoBinariesAndNoEngine_ThrowsMessageNamingTheThreeWays()
    {
        var resolver = Resolver(new DatabaseOptions(), NoBinaries, new DockerOptions { Endpoint = "unix:///tmp/minipaas-no-such-engine.sock" });

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => resolver.ResolveAsync());
        output.WriteLine(error.Message);

        Assert.Contains("MiniPaas__Database__ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("Docker engine", error.Message, StringComparison.Ordinal);
        Assert.Contains("unix:///tmp/minipaas-no-such-engine.sock", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Resolve_EngineWithoutTheImage_SaysSoAndDoesNotPull()
    {
        const string image = "minipaas-test-absent-postgres:never";
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"minipaas-test-container-{Guid.NewGuid():N}");
        try
        {
            var resolver = Resolver(new DatabaseOptions { ContainerImage = image }, NoBinaries, new DockerOptions(), dataDirectory);

            var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => resolver.ResolveAsync());
        output.WriteLine(error.Message);

            Assert.Contains(image, error.Message, StringComparison.Ordinal);
            Assert.Contains("not present locally", error.Message, StringComparison.Ordinal);
            using var docker = new DockerClientConfiguration(new Uri(new DockerOptions().Endpoint)).CreateClient();
            await Assert.ThrowsAsync<DockerImageNotFoundException>(() => docker.Images.InspectImageAsync(image));
            var containers = await docker.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters { All = true });
            Assert.DoesNotContain(containers, c => c.Image == image);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task Resolve_ServerBinaries_RunsPrivateClusterThatKeepsPortAndDataAcrossRestarts()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"minipaas-test-cluster-{Guid.NewGuid():N}");
        var binaries = PostgresServerBinaries.CandidateDirectories(null);
        Assert.True(PostgresServerBinaries.Find(binaries) is not null, "PostgreSQL server binaries are required (apt-get install postgresql).");
        try
        {
            int port;
            string connectionString;
            await using (var first = await Resolver(new DatabaseOptions(), binaries, dataDirectory: dataDirectory).ResolveAsync())
            {
                Assert.Equal(DatabaseSource.PrivateCluster, first.Description.Source);
                Assert.Equal("127.0.0.1", first.Description.Host);
                Assert.Equal("minipaas", first.Description.Database);
                Assert.StartsWith(Path.Combine(dataDirectory, "postgres"), first.Description.Detail[(first.Description.Detail.IndexOf('/', StringComparison.Ordinal))..], StringComparison.Ordinal);
                port = first.Description.Port;
                connectionString = first.ConnectionString;
                Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(connectionString).Password!, first.Description.ToString(), StringComparison.Ordinal);
                await ExecuteAsync(connectionString, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('still here')");
                Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(Path.Combine(dataDirectory, "postgres", "password")) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(connectionString, "SELECT 1"));

            await using (var second = await Resolver(new DatabaseOptions(), binaries, dataDirectory: dataDirectory).ResolveAsync())
            {
                Assert.Equal(port, second.Description.Port);
                Assert.Equal(["still here"], await MigrationTests.QueryStringsAsync(second.ConnectionString, "SELECT v FROM survivor"));
            }

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(connectionString, "SELECT 1"));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Resolve_DataDirectoryThePostgresUserCannotReach_RunsClusterWhereItCan()
    {
        var privateHome = Path.Combine(Path.GetTempPath(), $"minipaas-test-home-{Guid.NewGuid():N}");
        Directory.CreateDirectory(privateHome);
        File.SetUnixFileMode(privateHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var dataDirectory = Path.Combine(privateHome, ".minipaas");
        var expected = ClusterLocation.For(dataDirectory, ClusterLocation.IsRoot);
        try
        {
            await using (var resolved = await Resolver(new DatabaseOptions(), PostgresServerBinaries.CandidateDirectories(null), dataDirectory: dataDirectory).ResolveAsync())
            {
                Assert.Contains(expected, resolved.Description.Detail, StringComparison.Ordinal);
                Assert.Equal(ClusterLocation.IsRoot, expected.StartsWith(ClusterLocation.RootFallbackParent, StringComparison.Ordinal));
                await ExecuteAsync(resolved.ConnectionString, "SELECT 1");
            }
        }
        finally
        {
            Directory.Delete(privateHome, recursive: true);
            if (expected.StartsWith(ClusterLocation.RootFallbackParent, StringComparison.Ordinal))
            {
                Directory.Delete(Path.GetDirectoryName(expected)!, recursive: true);
            }
        }
    }

    [Fact]
    public void ClusterLocation_RootWithUntraversableDataDirectory_MovesUnderVarLib()
    {
        var location = ClusterLocation.For("/root/.minipaas", runsAsPostgresUser: true, _ => false);

        Assert.Matches("^/var/lib/minipaas/[0-9a-f]{12}/postgres$", location);
        Assert.Equal(location, ClusterLocation.For("/root/.minipaas", runsAsPostgresUser: true, _ => false));
        Assert.NotEqual(location, ClusterLocation.For("/root/other", runsAsPostgresUser: true, _ => false));
        Assert.Equal("/srv/minipaas/postgres", ClusterLocation.For("/srv/minipaas", runsAsPostgresUser: true, _ => true));
        Assert.Equal("/root/.minipaas/postgres", ClusterLocation.For("/root/.minipaas", runsAsPostgresUser: false, _ => false));
    }

    [Fact]
    public void ClusterLocation_RootHome_IsNotTraversable()
    {
        Assert.False(ClusterLocation.IsTraversableByOthers("/root/.minipaas"));
        Assert.True(ClusterLocation.IsTraversableByOthers(Path.GetTempPath()));
    }

    private static DatabaseResolver Resolver(DatabaseOptions database, IReadOnlyList<string> binaries, DockerOptions? docker = null, string? dataDirectory = null) =>
        new(
            database,
            new MiniPaasOptions { DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "minipaas-test-unused") },
            docker ?? new DockerOptions { Endpoint = "unix:///tmp/minipaas-no-such-engine.sock" },
            binaries,
            NullLogger<DatabaseResolver>.Instance);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
