using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web.Auth;

/// <summary>
/// A fresh MiniPaas (own database, so no owner yet) for sign-in tests; circuits re-check their session every 2 s. Each test
/// class using it gets its own app, so a class may lock sign-in out or reset the owner without affecting another.
/// </summary>
public class AuthAppFixture : AppFixture
{
    private string? _connectionString;

    protected override string? ConnectionString => _connectionString;

    public string DatabaseConnectionString => _connectionString ?? throw new InvalidOperationException("Not initialised.");

    public override async Task InitializeAsync()
    {
        _connectionString = await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("auth_" + Guid.NewGuid().ToString("N")[..8]);
        await base.InitializeAsync();
    }

    protected override void ConfigureSettings(IDictionary<string, string?> settings) =>
        settings["MiniPaas:Auth:RevalidationInterval"] = "00:00:02";
}

/// <summary><see cref="AuthAppFixture"/> accepting only 3 sign-in posts a minute per client.</summary>
public sealed class RateLimitedAuthAppFixture : AuthAppFixture
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["MiniPaas:Auth:SignInAttemptsPerMinute"] = "3";
        settings["MiniPaas:Auth:MaxFailedSignIns"] = "100";
    }
}
