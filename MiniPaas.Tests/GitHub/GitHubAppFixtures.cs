using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.Fakes;
using MiniPaas.Tests.Shared.FakeGitHub;

namespace MiniPaas.Tests.GitHub;

/// <summary>The whole app with GitHub sign-in pointed at a <see cref="FakeGitHubServer"/>, real PostgreSQL, no deployments.</summary>
public class GitHubAppFixture : AppFixture
{
    private string? _connectionString;

    protected override string? ConnectionString => _connectionString;

    public FakeGitHubServer GitHub { get; private set; } = null!;

    /// <summary>In <c>AllowedUsers</c>.</summary>
    public FakeUser Octocat { get; private set; } = null!;

    /// <summary>Not allowed.</summary>
    public FakeUser Stranger { get; private set; } = null!;

    public string DatabaseConnectionString => _connectionString!;

    public override async Task InitializeAsync()
    {
        GitHub = await FakeGitHubServer.StartAsync();
        Octocat = GitHub.AddUser("octocat", "Mona Octocat", "octo-org");
        Stranger = GitHub.AddUser("stranger", "Someone Else");
        _connectionString = await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("github_" + Guid.NewGuid().ToString("N")[..8]);
        await base.InitializeAsync();
    }

    /// <summary>Where GitHub would post webhooks (never called here; it only lets MiniPaas create hooks).</summary>
    public const string PublicUrl = "https://paas.example.test/";

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        GitHub.ApplySettings(settings, "octocat");
        settings["MiniPaas:GitHub:PublicUrl"] = PublicUrl;
    }

    /// <summary>Changes a setting of the running app and raises the reload that options monitors follow.</summary>
    public void ChangeSetting(string key, string? value)
    {
        var configuration = (Microsoft.Extensions.Configuration.IConfigurationRoot)Get<Microsoft.Extensions.Configuration.IConfiguration>();
        configuration[key] = value;
        configuration.Reload();
    }

    public T Get<T>() where T : notnull => (T)Services.GetService(typeof(T))!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}

/// <summary>A <see cref="GitHubAppFixture"/> whose dashboards re-check their user every second (its own app: tests change its allow list).</summary>
public sealed class RevalidatingGitHubAppFixture : GitHubAppFixture
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["MiniPaas:GitHub:RevalidationInterval"] = "00:00:01";
    }
}

/// <summary><see cref="DeployAppFixture"/> (real engine and database) with GitHub pointed at a <see cref="FakeGitHubServer"/> and fast polling.</summary>
public sealed class GitHubDeployAppFixture : DeployAppFixture
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public FakeGitHubServer GitHub { get; private set; } = null!;

    public FakeUser Octocat { get; private set; } = null!;

    /// <summary>Fails chosen commands of the app's database contexts (inert until a test arms it).</summary>
    public DatabaseFaultInjector DatabaseFaults { get; } = new();

    public override async Task InitializeAsync()
    {
        GitHub = await FakeGitHubServer.StartAsync();
        Octocat = GitHub.AddUser("octocat", "Mona Octocat");
        await base.InitializeAsync();
    }

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(DatabaseFaults);

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        GitHub.ApplySettings(settings, "octocat");
        settings["MiniPaas:GitHub:PollInterval"] = PollInterval.ToString();
        // Info level so the test can prove the token is absent from what MiniPaas logs while cloning.
        settings["Serilog:MinimumLevel:Default"] = "Information";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}
