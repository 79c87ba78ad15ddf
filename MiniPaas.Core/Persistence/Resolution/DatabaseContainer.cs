using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Configuration;
using Npgsql;
using MiniPaas.Core.Networking;

namespace MiniPaas.Core.Persistence.Resolution;

/// <summary>
/// The last embedded way: a PostgreSQL container <c>minipaas-postgres</c> created through the Docker engine from
/// <see cref="DatabaseOptions.ContainerImage"/>, data in the named volume <c>minipaas-postgres</c>, published on
/// <c>127.0.0.1:&lt;free port&gt;</c>. The image is never pulled: a missing image is reported. The container keeps running
/// when MiniPaas stops (it has a restart policy) and is reused on the next start; its password is kept in
/// <c>&lt;data directory&gt;/postgres-container.password</c> (mode 600).
/// </summary>
internal sealed class DatabaseContainer(DatabaseOptions database, DockerOptions docker, string dataDirectory, ILogger logger)
{
    public const string Name = "minipaas-postgres";
    public const string VolumeName = "minipaas-postgres";
    private const string PortLabel = "minipaas.database.port";

    /// <summary>Starts (or reuses) the container; null when the engine cannot be reached.</summary>
    public async Task<ResolvedDatabase?> TryStartAsync(CancellationToken ct = default)
    {
        using var client = new DockerClientConfiguration(new Uri(docker.Endpoint)).CreateClient();
        if (await PingAsync(client, ct).ConfigureAwait(false) is { } reason)
        {
            logger.EngineUnreachable(docker.Endpoint, reason);
            return null;
        }

        var password = await PasswordAsync(ct).ConfigureAwait(false);
        var existing = (await client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { ["^/" + Name + "$"] = true } },
            },
            ct).ConfigureAwait(false)).FirstOrDefault();

        int port;
        if (existing is not null && existing.Labels.TryGetValue(PortLabel, out var remembered))
        {
            port = int.Parse(remembered, CultureInfo.InvariantCulture);
            if (existing.State != "running")
            {
                logger.StartingContainer(Name, existing.Image, port);
                await client.Containers.StartContainerAsync(existing.ID, new ContainerStartParameters(), ct).ConfigureAwait(false);
            }
        }
        else
        {
            await EnsureImageIsLocalAsync(client, ct).ConfigureAwait(false);
            port = LoopbackPort.Free();
            logger.StartingContainer(Name, database.ContainerImage, port);
            var created = await client.Containers.CreateContainerAsync(Parameters(port, password), ct).ConfigureAwait(false);
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct).ConfigureAwait(false);
        }

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = PrivateCluster.DefaultDatabase,
            Username = PrivateCluster.SuperUser,
            Password = password,
        }.ConnectionString;
        await WaitUntilAcceptingAsync(connectionString, port, ct).ConfigureAwait(false);
        return new ResolvedDatabase(
            connectionString,
            new DatabaseDescription(DatabaseSource.Container, "127.0.0.1", port, PrivateCluster.DefaultDatabase, $"container {Name} ({database.ContainerImage}), volume {VolumeName}"));
    }

    private async Task EnsureImageIsLocalAsync(DockerClient client, CancellationToken ct)
    {
        try
        {
            await client.Images.InspectImageAsync(database.ContainerImage, ct).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DatabaseUnavailableException(
                $"The Docker engine at {docker.Endpoint} is reachable but the database image {database.ContainerImage} is not present locally, and MiniPaas never pulls images. "
                + $"Load or build it first (e.g. `docker pull {database.ContainerImage}` where a registry is reachable, or `docker load`), or set MiniPaas__Database__ContainerImage to a local PostgreSQL image. "
                + DatabaseUnavailableException.Remedies,
                e);
        }
    }

    private CreateContainerParameters Parameters(int port, string password) => new()
    {
        Name = Name,
        Image = database.ContainerImage,
        Env = [$"POSTGRES_USER={PrivateCluster.SuperUser}", $"POSTGRES_PASSWORD={password}", $"POSTGRES_DB={PrivateCluster.DefaultDatabase}"],
        Labels = new Dictionary<string, string>
        {
            ["minipaas.managed"] = "true",
            ["minipaas.role"] = "database",
            [PortLabel] = port.ToString(CultureInfo.InvariantCulture),
        },
        ExposedPorts = new Dictionary<string, EmptyStruct> { ["5432/tcp"] = default },
        HostConfig = new HostConfig
        {
            PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                ["5432/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = port.ToString(CultureInfo.InvariantCulture) }],
            },
            Mounts = [new Mount { Type = "volume", Source = VolumeName, Target = "/var/lib/postgresql/data" }],
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
        },
    };

    private static async Task<string?> PingAsync(DockerClient client, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await client.System.PingAsync(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or TimeoutException or OperationCanceledException or DockerApiException or System.Net.Sockets.SocketException)
        {
            return e.Message;
        }
    }

    private async Task<string> PasswordAsync(CancellationToken ct)
    {
        var path = Path.Combine(dataDirectory, "postgres-container.password");
        if (File.Exists(path))
        {
            return (await File.ReadAllTextAsync(path, ct).ConfigureAwait(false)).Trim();
        }

        Directory.CreateDirectory(dataDirectory);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await SecretFile.WriteAsync(path, password, ct).ConfigureAwait(false);
        return password;
    }

    private static async Task WaitUntilAcceptingAsync(string connectionString, int port, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + 60_000;
        while (true)
        {
            try
            {
                var connection = new NpgsqlConnection(connectionString);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(ct).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException && Environment.TickCount64 < deadline)
            {
                await Task.Delay(500, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or IOException)
            {
                throw new DatabaseUnavailableException($"The database container {Name} did not accept connections on 127.0.0.1:{port} within 60 s: {e.Message}", e);
            }
        }
    }
}
