using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Variables;

/// <summary>
/// Variables in the deploy pipeline on the real engine and real PostgreSQL: only variables marked "needed at build time"
/// reach the image build (as build arguments); the repository is scanned for suggestions when the project is created and
/// on each deploy.
/// </summary>
[Trait("Needs", "Docker")]
public sealed class VariablesPipelineTests(DeployAppFixture app) : IClassFixture<DeployAppFixture>
{
    private const string BuildValue = "built $(id) \"quoted\" ${RUNTIME_ONLY}x";

    private static string Subdomain(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private async Task<long> ProjectWithVariablesAsync(SampleRepo repo, string subdomain)
    {
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var variables = app.Get<ProjectVariables>();
        // Marked secret explicitly: by their keys alone they would be plain settings, shown in logs as they are.
        var set = await variables.SetManyAsync(projectId, [new VariableInput("BUILD_FLAG", BuildValue, IsSecret: true), new VariableInput("RUNTIME_ONLY", "runtime-secret", IsSecret: true)], "tests");
        Assert.True(set.Succeeded, set.Error);
        Assert.True(await variables.SetBuildTimeAsync(projectId, "BUILD_FLAG", true, "tests"));
        return projectId;
    }

    [Fact]
    public async Task Deploy_OwnDockerfile_OnlyBuildTimeVariableVisibleDuringBuildBothAtRuntime()
    {
        // Both names are declared with ARG: what decides whether the build sees a value is MiniPaas's build arguments only.
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $$"""
                FROM {{DockerEngineFixture.BusyboxImage}}
                ARG BUILD_FLAG
                ARG RUNTIME_ONLY
                RUN ["sh", "-c", "mkdir -p /www && printf 'B=%s|R=%s' \"$BUILD_FLAG\" \"$RUNTIME_ONLY\" > /www/build.txt"]
                CMD ["sh", "-c", "cat /proc/1/environ > /www/environ && exec httpd -f -p $PORT -h /www"]
                """,
        });
        var subdomain = Subdomain("bld");
        var projectId = await ProjectWithVariablesAsync(repo, subdomain);

        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        // ${RUNTIME_ONLY} inside the value is expanded from the project's variables, and nothing else is interpreted.
        Assert.Equal((200, "B=built $(id) \"quoted\" runtime-secretx|R="), await app.GetAppAsync(subdomain, "/build.txt"));
        var (_, environ) = await app.GetAppAsync(subdomain, "/environ");
        var entries = environ.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("RUNTIME_ONLY=runtime-secret", entries);
        Assert.Contains("BUILD_FLAG=built $(id) \"quoted\" runtime-secretx", entries);
        var log = await BuildLogAsync(outcome.Id, "Build arguments");
        Assert.Contains(log, l => l.Contains("Build arguments (variables needed at build time): BUILD_FLAG", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("runtime-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_BuildStepPrintsSecretsThenFails_BuildLogAndFailureReasonMaskThem()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $$"""
                FROM {{DockerEngineFixture.BusyboxImage}}
                ARG BUILD_FLAG
                RUN ["sh", "-c", "echo \"leaking $BUILD_FLAG\"; echo 'also runtime-secret here'; exit 3"]
                """,
        });
        var subdomain = Subdomain("msk");
        var projectId = await ProjectWithVariablesAsync(repo, subdomain);

        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.Equal(DeploymentStatus.Failed, outcome.Status);
        var log = await BuildLogAsync(outcome.Id, "Build failed");
        Assert.Contains(log, l => l.Contains("leaking ***", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("also *** here", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("runtime-secret", StringComparison.Ordinal) || l.Contains("built $(id)", StringComparison.Ordinal));
        Assert.DoesNotContain("runtime-secret", outcome.FailureReason ?? "", StringComparison.Ordinal);
        // MiniPaas's own log (the file the console shares its events with) gives the reason masked, never the raw output.
        var ownLog = await OwnLogAsync($"\"DeploymentId\":{outcome.Id},");
        Assert.Contains(ownLog, l => l.Contains($"\"DeploymentId\":{outcome.Id},", StringComparison.Ordinal) && l.Contains("also *** here", StringComparison.Ordinal));
        Assert.DoesNotContain(ownLog, l => l.Contains("runtime-secret", StringComparison.Ordinal) || l.Contains("built $(id)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_SecretFlagToggled_BuildAndRuntimeLogsMaskOnlySecrets()
    {
        const string token = "tok-abcdef-123";
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $$"""
                FROM {{DockerEngineFixture.BusyboxImage}}
                ARG LINES
                ARG API_TOKEN
                # Unique per run: the engine would otherwise reuse an earlier run's layer, and a cached step prints nothing.
                ENV RUN_ID={{Guid.NewGuid():N}}
                RUN ["sh", "-c", "echo \"build: line $LINES of burst, token $API_TOKEN\""]
                CMD ["sh", "-c", "mkdir -p /www; while true; do echo \"line $LINES of burst, token $API_TOKEN\"; sleep 1; done & exec httpd -f -p $PORT -h /www"]
                """,
        });
        var subdomain = Subdomain("flg");
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var variables = app.Get<ProjectVariables>();
        // By the rule: LINES is a plain setting, API_TOKEN a secret (LINES has 6 digits: a shorter secret is never masked).
        Assert.True((await variables.SetManyAsync(projectId, [new("LINES", "120000"), new("API_TOKEN", token)], "tests")).Succeeded);
        Assert.True(await variables.SetBuildTimeAsync(projectId, "LINES", true, "tests"));
        Assert.True(await variables.SetBuildTimeAsync(projectId, "API_TOKEN", true, "tests"));

        var first = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.True(first.Status == DeploymentStatus.Running, first.FailureReason);
        var buildLog = await BuildLogAsync(first.Id, "build: line 120000");
        Assert.Contains(buildLog, l => l.Contains("build: line 120000 of burst, token ***", StringComparison.Ordinal));
        Assert.DoesNotContain(buildLog, l => l.Contains(token, StringComparison.Ordinal));
        var runtime = await RuntimeLogAsync(first.Id, "line 120000 of burst, token ***");
        Assert.DoesNotContain(runtime, l => l.Contains(token, StringComparison.Ordinal));

        // Marked secret while the container runs: its later lines mask the value (the masker refreshes within seconds).
        Assert.True(await variables.SetSecretAsync(projectId, "LINES", true, "tests"));
        await RuntimeLogAsync(first.Id, "line *** of burst, token ***");

        // A plain setting from the next deployment on (the running one keeps masking what it once masked).
        Assert.True(await variables.SetSecretAsync(projectId, "API_TOKEN", false, "tests"));
        var second = await app.WaitForOutcomeAsync(projectId, await app.Deployments.RedeployAsync(projectId, "tests"));
        Assert.True(second.Status == DeploymentStatus.Running, second.FailureReason);
        await RuntimeLogAsync(second.Id, $"line *** of burst, token {token}");
        Assert.DoesNotContain(await RuntimeLogAsync(first.Id, "line *** of burst"), l => l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_GeneratedDockerfile_DeclaresOnlyBuildTimeVariablesAndBuildSeesThem()
    {
        // npm runs the build script during the image build: it records what the build saw, the server serves it.
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["package.json"] = """
                { "name": "sample", "version": "1.0.0",
                  "scripts": { "build": "node build.js", "start": "node server.js" } }
                """,
            ["build.js"] = """
                require('fs').writeFileSync('build.txt', 'B=' + (process.env.BUILD_FLAG || '') + '|R=' + (process.env.RUNTIME_ONLY || ''));
                """,
            ["server.js"] = """
                const seen = require('fs').readFileSync(__dirname + '/build.txt', 'utf8');
                require('http').createServer((req, res) => res.end(seen + '|runtime=' + process.env.RUNTIME_ONLY)).listen(process.env.PORT);
                """,
        });
        var subdomain = Subdomain("gen");
        var projectId = await ProjectWithVariablesAsync(repo, subdomain);

        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId), TimeSpan.FromMinutes(4));

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        Assert.Equal((200, "B=built $(id) \"quoted\" runtime-secretx|R=|runtime=runtime-secret"), await app.GetAppAsync(subdomain));
        var dockerfile = await app.Projects.GetGeneratedDockerfileAsync(outcome.Id);
        Assert.Contains("ARG BUILD_FLAG", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("RUNTIME_ONLY", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("built", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateThenDeploy_RepositoryScannedEachTimeWithFileAndLine()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $$"""
                FROM {{DockerEngineFixture.BusyboxImage}}
                COPY index.html /www/index.html
                CMD ["sh", "-c", "exec httpd -f -p $PORT -h /www"]
                """,
            ["index.html"] = "hi",
            ["worker.js"] = "// reads its settings\nconst url = process.env.QUEUE_URL;\n",
            [".env.example"] = "SESSION_SECRET=\n",
        });
        var suggestions = app.Get<ProjectSuggestions>();

        var projectId = await app.CreateProjectAsync(repo, Subdomain("scn"));

        var created = await PollAsync(() => suggestions.LatestAsync(projectId), s => s is not null);
        Assert.Equal(ProjectSuggestions.CreatedTrigger, created!.Trigger);
        Assert.Equal(["QUEUE_URL", "SESSION_SECRET"], created.Suggestions.Select(s => s.Key));
        Assert.Equal("read by process.env (worker.js:2)", created.Suggestions[0].Reason);
        Assert.Equal("listed in .env.example (.env.example:1)", created.Suggestions[1].Reason);
        Assert.Equal(["QUEUE_URL"], created.Missing.Select(m => m.Key));

        await repo.CommitAsync(new Dictionary<string, string> { ["mailer.js"] = "\n\nconst host = process.env.SMTP_HOST;\n" }, "mailer");
        await suggestions.DismissAsync(projectId, "SESSION_SECRET", "tests");
        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        var deployed = await suggestions.LatestAsync(projectId);
        Assert.Equal(ProjectSuggestions.DeployTrigger, deployed!.Trigger);
        Assert.Equal(outcome.CommitSha, deployed.CommitSha);
        Assert.Equal(["QUEUE_URL", "SMTP_HOST"], deployed.Suggestions.Select(s => s.Key));
        Assert.Equal("read by process.env (mailer.js:3)", deployed.Suggestions[1].Reason);
        var log = await BuildLogAsync(outcome.Id, "without a default");
        Assert.Contains(log, l => l.Contains("QUEUE_URL (worker.js:2)", StringComparison.Ordinal) && l.Contains("SMTP_HOST (mailer.js:3)", StringComparison.Ordinal));
    }

    // Build log lines are persisted in batches: poll until the expected line is there.
    private async Task<IReadOnlyList<string>> BuildLogAsync(long deploymentId, string expected)
    {
        return await PollAsync(async () =>
        {
            await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(app.DatabaseConnectionString));
            return (IReadOnlyList<string>)await db.BuildLogs.Where(l => l.DeploymentId == deploymentId).OrderBy(l => l.Seq).Select(l => l.Line).ToListAsync();
        }, lines => lines.Any(l => l.Contains(expected, StringComparison.Ordinal)));
    }

    // MiniPaas's own log file (compact JSON, one event per line), read while Serilog keeps writing it.
    private async Task<IReadOnlyList<string>> OwnLogAsync(string expected)
    {
        return await PollAsync(async () =>
        {
            var lines = new List<string>();
            var folder = Path.Combine(app.DataDirectory, "logs");
            // The file sink creates the folder with its first event, which may come just after the deployment's status.
            if (!Directory.Exists(folder))
            {
                return (IReadOnlyList<string>)lines;
            }

            foreach (var file in Directory.GetFiles(folder, "minipaas-*.log"))
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream);
                lines.AddRange((await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }

            return (IReadOnlyList<string>)lines;
        }, lines => lines.Any(l => l.Contains(expected, StringComparison.Ordinal)));
    }

    // Runtime lines go through the real log attacher, masker and writer: poll until the expected line is stored or in flight.
    private async Task<IReadOnlyList<string>> RuntimeLogAsync(long deploymentId, string expected)
    {
        var lines = await PollAsync(
            async () => (IReadOnlyList<string>)(await app.Get<MiniPaas.Core.Logs.RuntimeLogQuery>().ReadAsync(
                new MiniPaas.Core.Logs.RuntimeLogFilter(DeploymentId: deploymentId, Limit: MiniPaas.Core.Logs.RuntimeLogFilter.MaxLimit))).Select(l => l.Text).ToList(),
            lines => lines.Any(l => l.Contains(expected, StringComparison.Ordinal)));
        Assert.True(lines.Any(l => l.Contains(expected, StringComparison.Ordinal)), $"No runtime line with '{expected}' in:\n{string.Join('\n', lines.TakeLast(10))}");
        return lines;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(200);
        }
    }
}
