using MiniPaas.Core.Persistence;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Variables;

/// <summary>Variables reach a real container through the engine's Env, verbatim, on the real engine with real PostgreSQL.</summary>
[Trait("Needs", "Docker")]
public sealed class VariablesDeployTests(DeployAppFixture app) : IClassFixture<DeployAppFixture>
{
    // /proc/1/environ is the environment the engine gave the container (PID 1 is the init process), NUL-separated:
    // unlike `env` output it is unambiguous for multi-line values and untouched by the shell.
    internal static Dictionary<string, string> EnvironmentDumpSite() => new()
    {
        ["Dockerfile"] = $"""
            FROM {DockerEngineFixture.BusyboxImage}
            CMD ["sh", "-c", "mkdir -p /www && echo ok > /www/index.html && cat /proc/1/environ > /www/environ && exec httpd -f -p $PORT -h /www"]
            """,
    };

    // What the engine itself adds to every container; anything else must come from MiniPaas.
    private static readonly string[] EngineAdded = ["PATH", "HOSTNAME", "HOME", "TERM"];

    [Fact]
    public async Task Deploy_ProjectWithVariables_ContainerSeesExactlyThemPlusPlatformVariables()
    {
        using var repo = await SampleRepo.CreateAsync(EnvironmentDumpSite());
        var subdomain = $"vars-{Guid.NewGuid():N}"[..14];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var variables = app.Get<ProjectVariables>();
        const string pem = "-----BEGIN KEY-----\nMIIB line two\n  indented \"quoted\" 'single'\n-----END KEY-----";
        var set = await variables.SetManyAsync(projectId,
        [
            new("PEM", pem),
            new("SHELLISH", "$(id) `whoami` $HOME ; rm -rf /"),
            new("DB_HOST", "db.internal"),
            new("DATABASE_URL", "postgres://${DB_HOST}:5432/app"),
            new("EMPTY", ""),
        ], "tests");
        Assert.True(set.Succeeded, set.Error);

        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        var (status, body) = await app.GetAppAsync(subdomain, "/environ");

        Assert.Equal(200, status);
        var seen = body.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        var fromMiniPaas = seen.Keys.Except(EngineAdded).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            new[] { "DATABASE_URL", "DB_HOST", "EMPTY", "MINIPAAS_DEPLOYMENT_ID", "MINIPAAS_GIT_COMMIT_SHA", "MINIPAAS_PROJECT", "MINIPAAS_SUBDOMAIN", "PEM", "PORT", "SHELLISH" },
            fromMiniPaas);
        Assert.Equal(pem, seen["PEM"]);
        Assert.Equal("$(id) `whoami` $HOME ; rm -rf /", seen["SHELLISH"]);
        Assert.Equal("postgres://db.internal:5432/app", seen["DATABASE_URL"]);
        Assert.Equal("", seen["EMPTY"]);
        Assert.Equal(outcome.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), seen["MINIPAAS_DEPLOYMENT_ID"]);
        Assert.Equal(subdomain, seen["MINIPAAS_SUBDOMAIN"]);
        Assert.True(int.TryParse(seen["PORT"], out var port) && port > 0);
    }

    [Fact]
    public async Task Deploy_VariablesReferToEachOther_FailsWithTheCycle()
    {
        using var repo = await SampleRepo.CreateAsync(EnvironmentDumpSite());
        var projectId = await app.CreateProjectAsync(repo, $"cyc-{Guid.NewGuid():N}"[..13]);
        await app.Get<ProjectVariables>().SetManyAsync(projectId, [new("A", "${B}"), new("B", "x${A}")], "tests");

        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.Equal(DeploymentStatus.Failed, outcome.Status);
        Assert.Contains("A → B → A", outcome.FailureReason, StringComparison.Ordinal);
    }
}

/// <summary>The whole app restarted on the same database (and a different data folder) still decrypts: the key ring lives in PostgreSQL.</summary>
[Trait("Needs", "Docker")]
public sealed class VariablesRestartTests
{
    [Fact]
    public async Task AppRestart_SameDatabase_ValuesStillDecrypt()
    {
        long projectId;
        string connectionString;
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string> { ["README"] = "x" });
        var first = new DeployAppFixture { RemoveAppsOnDispose = false };
        await first.InitializeAsync();
        try
        {
            connectionString = first.DatabaseConnectionString;
            projectId = await first.CreateProjectAsync(repo, $"rst-{Guid.NewGuid():N}"[..13]);
            var set = await first.Get<ProjectVariables>().SetAsync(projectId, "SECRET_KEY", "line1\nline2 $(id)", "tests");
            Assert.True(set.Succeeded, set.Error);
        }
        finally
        {
            await first.DisposeAsync();
        }

        var second = new DeployAppFixture { ExistingConnectionString = connectionString };
        await second.InitializeAsync();
        try
        {
            Assert.NotEqual(first.DataDirectory, second.DataDirectory);
            var listed = Assert.Single(await second.Get<ProjectVariables>().ListAsync(projectId));
            Assert.True(listed.CanDecrypt);
            Assert.Equal("line1\nline2 $(id)", listed.Value);
        }
        finally
        {
            await second.DisposeAsync();
        }
    }
}
