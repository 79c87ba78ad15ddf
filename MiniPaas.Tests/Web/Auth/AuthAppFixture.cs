using System.Text.RegularExpressions;
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

    /// <summary>Waits until the app's log file (as an operator would read it) holds the set-up link, and returns it.</summary>
    public async Task<Uri> ReadSetupLinkFromLogAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var logs = Path.Combine(DataDirectory, "logs");
        while (true)
        {
            foreach (var file in Directory.Exists(logs) ? Directory.GetFiles(logs, "minipaas-*.log") : [])
            {
                // The app keeps the file open for writing.
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                if (SetupLink().Matches(await reader.ReadToEndAsync(cts.Token)).LastOrDefault() is { } match)
                {
                    return new Uri(match.Value);
                }
            }

            await Task.Delay(200, cts.Token);
        }
    }

    private static Regex SetupLink() => Deploying.KillRecoveryTests.MiniPaasProcess.SetupLinkPattern();
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
