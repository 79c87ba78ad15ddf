using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Core.Networking;

namespace MiniPaas.Benchmarks;

/// <summary>One way of getting the repo's head served: MiniPaas, or git + docker by hand.</summary>
public interface IDeployPath
{
    string Name { get; }

    /// <summary>Deploys the repo's head and returns the wall time from the deploy request to the first 200 carrying <paramref name="marker"/>.</summary>
    Task<TimeSpan> DeployAsync(SampleRepo repo, string marker, CancellationToken ct);

    /// <summary>Removes what the deploys since the last call created (containers, images, projects); not timed.</summary>
    Task CleanupAsync(CancellationToken ct);
}

/// <summary>
/// MiniPaas: a fresh project per deploy (so the first 200 can only come from this deploy's container), then
/// <see cref="DeploymentService.DeployAsync"/> and GET through the ingress until 200. Project creation is not timed.
/// </summary>
public sealed class MiniPaasPath(MiniPaasHost host) : IDeployPath
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly List<(long Id, string Name)> _projects = [];

    public string Name => "MiniPaas";

    /// <summary>Subdomain of the latest deploy's project (still deployed until <see cref="CleanupAsync"/>).</summary>
    public string? LastSubdomain => _projects.Count == 0 ? null : _projects[^1].Name;

    public async Task<TimeSpan> DeployAsync(SampleRepo repo, string marker, CancellationToken ct)
    {
        var projects = host.Get<ProjectService>();
        var subdomain = $"bench-{Guid.NewGuid():N}"[..14];
        var created = await projects.CreateAsync(new ProjectSpec(subdomain, subdomain, repo.Path), ct);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Project refused: " + string.Join("; ", created.Errors.Select(e => $"{e.Key}: {e.Value}")));
        }

        var projectId = created.ProjectId!.Value;
        _projects.Add((projectId, subdomain));

        // Status changes (with the engine's own timestamps) give the phase breakdown; reading them is off the measured path.
        using var statuses = host.Get<DeploymentStatusFeed>().Subscribe(projectId);
        using var stopReading = new CancellationTokenSource();
        var changes = new List<DeploymentStatusChanged>();
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var batch in statuses.ReadBatchesAsync(stopReading.Token))
                    {
                        changes.AddRange(batch.Items);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            },
            CancellationToken.None);

        var requested = TimeProvider.System.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var deploymentId = await host.Get<DeploymentService>().DeployAsync(projectId, ct: ct);
        await Probe.WaitFor200Async(host.IngressPort, $"{subdomain}.localhost:{host.IngressPort}", marker, Timeout, FailureAsync, ct);
        var elapsed = clock.Elapsed;
        var answered = requested + elapsed;

        await stopReading.CancelAsync();
        await reader;
        RecordPhases(changes.Where(c => c.DeploymentId == deploymentId).ToList(), requested, answered);
        return elapsed;

        async Task<string?> FailureAsync()
        {
            var deployment = (await projects.ListDeploymentsAsync(projectId, ct: ct)).Single(d => d.Id == deploymentId);
            return deployment.Status == DeploymentStatus.Failed ? deployment.FailureReason ?? "failed" : null;
        }
    }

    /// <summary>Per phase name, the durations seen since the last <see cref="TakePhases"/> (a breakdown of MiniPaas's time).</summary>
    private readonly Dictionary<string, List<TimeSpan>> _phases = [];

    public IReadOnlyDictionary<string, List<TimeSpan>> TakePhases()
    {
        var taken = _phases.ToDictionary(p => p.Key, p => p.Value.ToList());
        _phases.Clear();
        return taken;
    }

    private void RecordPhases(List<DeploymentStatusChanged> changes, DateTimeOffset requested, DateTimeOffset answered)
    {
        // Each phase lasts from entering its status to entering the next; the last ends at the first 200 seen through the ingress.
        var marks = new List<(string Name, DateTimeOffset At)> { ("request → queued", requested) };
        marks.AddRange(changes.Select(c => (c.Status.ToString().ToLowerInvariant(), c.At)));
        var perDeploy = new Dictionary<string, TimeSpan>();
        for (var i = 0; i < marks.Count; i++)
        {
            var end = i + 1 < marks.Count ? marks[i + 1].At : answered;
            var name = i == 0 ? marks[0].Name : i + 1 < marks.Count ? marks[i].Name : $"{marks[i].Name} → first 200 at ingress";

            // A status may be published more than once (e.g. "starting" again with detail): its time adds up under one name.
            perDeploy[name] = perDeploy.GetValueOrDefault(name) + (end - marks[i].At);
        }

        foreach (var (name, duration) in perDeploy)
        {
            if (!_phases.TryGetValue(name, out var list))
            {
                _phases[name] = list = [];
            }

            list.Add(duration);
        }
    }

    /// <summary>The Dockerfile MiniPaas generated for the latest deploy (null when the repo has its own).</summary>
    public async Task<string?> LastGeneratedDockerfileAsync(CancellationToken ct)
    {
        var projects = host.Get<ProjectService>();
        var deployment = (await projects.ListDeploymentsAsync(_projects[^1].Id, ct: ct))[0];
        return await projects.GetGeneratedDockerfileAsync(deployment.Id, ct);
    }

    public async Task CleanupAsync(CancellationToken ct)
    {
        foreach (var (id, name) in _projects)
        {
            await host.Get<ProjectService>().DeleteAsync(id, name, ct);
        }

        _projects.Clear();
    }
}

/// <summary>
/// The baseline, as a person would do it: <c>git clone --depth 1 file://…</c>, <c>docker build</c>, <c>docker run -d --network host
/// -e PORT=…</c>, then GET the port until 200. The legacy builder is forced (DOCKER_BUILDKIT=0), the same one MiniPaas drives
/// through the engine API, so both share one layer cache.
/// </summary>
public sealed class ByHandPath(string dockerHost) : IDeployPath
{
    public const string Label = "minipaas.bench";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly List<string> _containers = [];
    private readonly List<string> _images = [];
    private readonly List<string> _folders = [];

    public string Name => "git + docker by hand";

    /// <summary>Written as <c>Dockerfile</c> into the clone when set: the repo has none, so the person supplies one (MiniPaas's generated text, for a like-for-like build).</summary>
    public string? Dockerfile { get; set; }

    public async Task<TimeSpan> DeployAsync(SampleRepo repo, string marker, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var folder = Path.Combine(Path.GetTempPath(), "minipaas-bench-clone-" + id);
        var image = $"minipaas-bench/hand-{id}:latest";
        var container = "minipaas-bench-hand-" + id;
        var port = LoopbackPort.Free();
        _folders.Add(folder);

        var clock = Stopwatch.StartNew();
        await RunAsync("git", ["clone", "--quiet", "--depth", "1", "--single-branch", "--branch", "main", repo.FileUrl, folder], ct);
        if (Dockerfile is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "Dockerfile"), Dockerfile, ct);
        }

        _images.Add(image);
        await RunAsync("docker", ["build", "--quiet", "--network", "host", "--label", Label + "=true", "-t", image, folder], ct);
        _containers.Add(container);
        await RunAsync("docker", ["run", "-d", "--pull", "never", "--init", "--network", "host", "--name", container, "--label", Label + "=true", "-e", $"PORT={port}", image], ct);
        await Probe.WaitFor200Async(port, host: null, marker, Timeout, failure: null, ct);
        return clock.Elapsed;
    }

    public async Task CleanupAsync(CancellationToken ct)
    {
        foreach (var container in _containers)
        {
            await RunAsync("docker", ["rm", "-f", container], ct, check: false);
        }

        foreach (var image in _images)
        {
            await RunAsync("docker", ["rmi", "-f", image], ct, check: false);
        }

        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        _containers.Clear();
        _images.Clear();
        _folders.Clear();
    }

    private async Task RunAsync(string program, string[] args, CancellationToken ct, bool check = true)
    {
        var result = await Cli.Wrap(program).WithArguments(args)
            .WithEnvironmentVariables(env => env.Set("DOCKER_BUILDKIT", "0").Set("DOCKER_HOST", dockerHost))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(ct);
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");
        }
    }
}
