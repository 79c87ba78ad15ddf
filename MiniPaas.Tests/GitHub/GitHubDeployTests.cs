using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Web;
using Npgsql;

namespace MiniPaas.Tests.GitHub;

/// <summary>
/// GitHub to running container on the real engine and database: private clones with the owner's token, webhooks and
/// branch polling. Runs in the solo collection because it deploys (see <see cref="SoloAppTests"/>).
/// </summary>
[Trait("Needs", "Docker")]
[Collection(SoloAppTests.Name)]
public sealed partial class GitHubDeployTests(GitHubDeployAppFixture app) : IClassFixture<GitHubDeployAppFixture>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private async Task<(long UserId, string Token)> SignInOwnerAsync()
    {
        using var client = new SignInClient(app.BaseAddress);
        using var done = await client.SignInAsync(app.GitHub, app.Octocat, privateRepos: true);
        Assert.True(client.HasSession, $"sign-in failed: {(int)done.StatusCode} {done.Headers.Location}");
        await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(app.DatabaseConnectionString));
        var userId = (await db.Users.SingleAsync(u => u.GitHubId == app.Octocat.Id)).Id;
        var token = await app.Get<GitHubUsers>().GetAccessTokenAsync(userId);
        return (userId, token!);
    }

    private async Task<long> CreateAsync(string name, string sourceUrl, bool autoDeploy = false)
    {
        var result = await app.Projects.CreateAsync(new ProjectSpec(name, name, sourceUrl, AutoDeploy: autoDeploy));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        return result.ProjectId!.Value;
    }

    private async Task<IReadOnlyList<DeploymentView>> DeploymentsAsync(long projectId) => await app.Projects.ListDeploymentsAsync(projectId);

    [Fact]
    public async Task PrivateRepo_DeployedWithOwnersToken_TokenNeverInLogsOrDatabase()
    {
        using var source = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("private hello"));
        var repo = await app.GitHub.AddRepoAsync("octocat", Unique("secret"), source.Path, isPrivate: true);
        var (userId, token) = await SignInOwnerAsync();

        // Without an owner nothing authenticates the clone: the repository really is private.
        var anonymous = Unique("anon");
        var anonymousId = await CreateAsync(anonymous, app.GitHub.CloneUrl(repo));
        var refused = await app.WaitForOutcomeAsync(anonymousId, await app.Deployments.DeployAsync(anonymousId));
        Assert.Equal(DeploymentStatus.Failed, refused.Status);
        Assert.Contains("access denied", refused.FailureReason, StringComparison.OrdinalIgnoreCase);

        var subdomain = Unique("priv");
        var projectId = await CreateAsync(subdomain, app.GitHub.CloneUrl(repo));
        await app.Get<ProjectGitHubState>().AssignOwnerAsync(projectId, userId);
        var deploymentId = await app.Deployments.DeployAsync(projectId, "manual", "octocat");
        var outcome = await app.WaitForOutcomeAsync(projectId, deploymentId);

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        Assert.Equal((200, "private hello"), await app.GetAppAsync(subdomain));
        Assert.Contains(app.GitHub.RequestLog, r => r.Contains($"/octocat/{repo.Name}.git/info/refs", StringComparison.Ordinal));

        var forms = new[] { token, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{GitHubOwnerCredentials.TokenUserName}:{token}")) };
        var database = await DumpDatabaseAsync(deploymentId);
        var logs = string.Concat(Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "logs")).Select(ReadShared));
        Assert.Contains("Cloning", logs, StringComparison.Ordinal);
        Assert.Contains(app.GitHub.CloneUrl(repo), database, StringComparison.Ordinal);
        foreach (var form in forms)
        {
            Assert.DoesNotContain(form, database, StringComparison.Ordinal);
            Assert.DoesNotContain(form, logs, StringComparison.Ordinal);
        }
    }

    /// <summary>Every row of every table as text, once the deployment's build log reached the database.</summary>
    private async Task<string> DumpDatabaseAsync(long deploymentId)
    {
        await using var connection = new NpgsqlConnection(app.DatabaseConnectionString);
        await connection.OpenAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM build_logs WHERE deployment_id = @id", connection);
            count.Parameters.AddWithValue("id", deploymentId);
            if ((long)(await count.ExecuteScalarAsync())! > 0)
            {
                break;
            }

            await Task.Delay(200, deadline.Token);
        }

        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using var rows = await select.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                dump.AppendLine(rows.GetString(0));
            }
        }

        Assert.Contains("users", tables);
        return dump.ToString();
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
