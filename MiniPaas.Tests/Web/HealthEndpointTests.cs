using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared.Fakes;

namespace MiniPaas.Tests.Web;

public sealed class HealthEndpointTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "minipaas-health-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly FakeEngineStatus _engine = FakeEngineStatus.Connected();
    private readonly FakeDatabaseInfo _database = FakeDatabaseInfo.Configured();

    private WebApplicationFactory<Program> CreateFactory() => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
    {
        builder.UseSetting("MiniPaas:DataDirectory", _dataDirectory);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IEngineStatus>(_engine);
            services.AddSingleton<IDatabaseInfo>(_database);
        });
    });

    [Fact]
    public async Task Healthz_Always_Returns200()
    {
        _database.IsReachable = false;
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_DatabaseAndEngineUp_Returns200()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_EngineDown_Returns503NamingDocker()
    {
        _engine.Publish(new EngineStatus(false, "unix:///var/run/docker.sock", null, null, "connection refused", DateTimeOffset.UnixEpoch));
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("docker").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_DatabaseDown_Returns503NamingDatabase()
    {
        _database.IsReachable = false;
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
