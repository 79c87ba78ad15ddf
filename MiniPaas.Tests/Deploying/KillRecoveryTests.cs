using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Deploying;

/// <summary>
/// MiniPaas killed (SIGKILL, no chance to clean up) in the middle of a build, then started again: the app it runs keeps
/// serving all along, the build is marked interrupted, and the route comes back. MiniPaas runs as a real child process.
/// </summary>
[Trait("Needs", "Docker")]
[Trait("Category", "Browser")]
public sealed class KillRecoveryTests(DockerEngineFixture engine, BrowserFixture browser)
    : IClassFixture<DockerEngineFixture>, IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KillDuringBuild_ThenStart_AppKeptServingBuildInterruptedRouteRestored()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("still here"));
        var connectionString = await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("kill_" + Guid.NewGuid().ToString("N")[..8]);
        var ingressPort = LoopbackPort.Free();
        var subdomain = $"kill-{Guid.NewGuid():N}"[..13];

        using (var first = MiniPaasProcess.Start(connectionString, ingressPort))
        {
            await first.WaitUntilReadyAsync();
            var projectId = await InsertProjectAsync(connectionString, subdomain, repo.Path);

            var page = await browser.NewPageAsync(first.BaseAddress, await OwnerSignIn.SetUpAsync(await first.SetupLinkAsync()));
            await page.GotoAsync($"projects/{projectId}");
            await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            await page.GetByTestId("deploy-button").ClickAsync();
            await Assertions.Expect(page.GetByTestId("project-status")).ToHaveTextAsync("Running", new() { Timeout = 90_000 });

            await repo.CommitAsync(DeployEngineTests.BusyboxSite("never served", """RUN ["sh", "-c", "sleep 120"]"""), "slow build");
            await page.GetByTestId("deploy-button").ClickAsync();
            await WaitForStatusAsync(connectionString, d => d.Status == DeploymentStatus.Building);
            await page.Context.CloseAsync();

            first.Kill();
        }

        var upstream = await SingleAsync(connectionString, d => d.Status == DeploymentStatus.Running, d => d.Upstream!);
        using (var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        {
            Assert.Equal("still here", await client.GetStringAsync(new Uri($"http://{upstream}/")));
        }

        using var second = MiniPaasProcess.Start(connectionString, ingressPort);
        try
        {
            await second.WaitUntilReadyAsync();
            using var cts = new CancellationTokenSource(Patience);
            var answer = (Status: 0, Body: "");
            while (answer.Status != 200)
            {
                await Task.Delay(250, cts.Token);
                answer = await GetThroughIngressAsync(ingressPort, subdomain, cts.Token);
            }

            Assert.Equal("still here", answer.Body);
            var reason = await SingleAsync(connectionString, d => d.Status == DeploymentStatus.Failed, d => d.FailureReason);
            Assert.Contains("interrupted by a restart", reason, StringComparison.Ordinal);
        }
        finally
        {
            await RemoveAppsAsync(connectionString);
        }
    }

    private static async Task<long> InsertProjectAsync(string connectionString, string subdomain, string source)
    {
        await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(connectionString));
        var project = new ProjectRecord { Name = subdomain, Subdomain = subdomain, SourceUrl = source, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }

    private static async Task WaitForStatusAsync(string connectionString, Func<DeploymentRecord, bool> condition)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            await using (var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(connectionString)))
            {
                if ((await db.Deployments.AsNoTracking().ToListAsync(cts.Token)).Any(condition))
                {
                    return;
                }
            }

            await Task.Delay(200, cts.Token);
        }
    }

    private static async Task<T> SingleAsync<T>(string connectionString, Func<DeploymentRecord, bool> condition, Func<DeploymentRecord, T> select)
    {
        await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(connectionString));
        return select((await db.Deployments.AsNoTracking().ToListAsync()).Single(condition));
    }

    private static async Task<(int Status, string Body)> GetThroughIngressAsync(int port, string subdomain, CancellationToken ct)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/"));
        request.Headers.Host = $"{subdomain}.localhost:{port}";
        try
        {
            using var response = await client.SendAsync(request, ct);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    private async Task RemoveAppsAsync(string connectionString)
    {
        await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(connectionString));
        var deployments = await db.Deployments.AsNoTracking().ToListAsync();
        foreach (var name in deployments.Where(d => d.ContainerName != null).Select(d => d.ContainerName!))
        {
            await engine.RemoveContainerQuietlyAsync(name);
        }

        // The second run's own images: the engine is shared, and leftover tags pile up across runs.
        foreach (var image in deployments.Where(d => d.ImageTag != null).Select(d => d.ImageTag!).Distinct())
        {
            await engine.RemoveImageQuietlyAsync(image);
        }
    }

    /// <summary>MiniPaas.Web as a child process on loopback ports, as a user would run it.</summary>
    internal sealed class MiniPaasProcess : IDisposable
    {
        private readonly Process _process;
        private readonly string _dataDirectory;
        private readonly TaskCompletionSource<Uri> _setupLink = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private MiniPaasProcess(Process process, Uri baseAddress, string dataDirectory)
        {
            _process = process;
            BaseAddress = baseAddress;
            _dataDirectory = dataDirectory;
        }

        public Uri BaseAddress { get; }

        public static MiniPaasProcess Start(string connectionString, int ingressPort)
        {
            var port = LoopbackPort.Free();
            var dataDirectory = Path.Combine(Path.GetTempPath(), "minipaas-kill-" + Guid.NewGuid().ToString("N")[..8]);
            var webDll = Path.Combine(AppContext.BaseDirectory, "MiniPaas.Web.dll");
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { webDll, "--urls", $"http://127.0.0.1:{port};http://127.0.0.1:{ingressPort}", "--contentRoot", RepositoryRoot("MiniPaas.Web") },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                Environment =
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Development",
                    ["MiniPaas__DataDirectory"] = dataDirectory,
                    ["MiniPaas__Database__ConnectionString"] = connectionString,
                    ["MiniPaas__Runtime__NetworkMode"] = "host",
                    ["MiniPaas__Runtime__HealthTimeout"] = "00:00:20",
                    ["MiniPaas__Runtime__ReconcileInterval"] = "00:00:02",
                    ["MiniPaas__Ingress__Port"] = ingressPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["MiniPaas__Builder__NetworkMode"] = "host",
                    ["Serilog__MinimumLevel__Default"] = "Warning",
                },
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("could not start MiniPaas.Web");
            var child = new MiniPaasProcess(process, new Uri($"http://127.0.0.1:{port}/"), dataDirectory);

            // Drain the pipes so a chatty child never blocks on a full buffer; keep the owner set-up link it prints.
            process.OutputDataReceived += (_, line) =>
            {
                if (line.Data is { } text && OwnerSignIn.SetupLinkPattern().Match(text) is { Success: true } match)
                {
                    child._setupLink.TrySetResult(new Uri(match.Value));
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        /// <summary>The owner set-up link the process printed at start (a fresh database has no owner).</summary>
        public Task<Uri> SetupLinkAsync() => _setupLink.Task.WaitAsync(Patience);

        public async Task WaitUntilReadyAsync()
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var cts = new CancellationTokenSource(Patience);
            while (true)
            {
                Assert.False(_process.HasExited, $"MiniPaas exited with code {(_process.HasExited ? _process.ExitCode : 0)}");
                try
                {
                    using var response = await client.GetAsync(new Uri(BaseAddress, "readyz"), cts.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException) when (!cts.IsCancellationRequested)
                {
                }

                await Task.Delay(250, cts.Token);
            }
        }

        /// <summary>SIGKILL: no shutdown hooks run, exactly like a crash or <c>kill -9</c>.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private static string RepositoryRoot(string child)
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MiniPaas.sln")))
            {
                directory = directory.Parent;
            }

            return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("MiniPaas.sln not found above the test folder"), child);
        }
    }
}
