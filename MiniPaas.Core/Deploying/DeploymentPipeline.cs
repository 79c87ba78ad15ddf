using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Building;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Git;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Deploying;

/// <summary>
/// Runs one deployment: clone, plan, build, start, wait until healthy, switch the route, retire the previous container.
/// The route only ever moves to a healthy container, so a failed deployment leaves the old one serving.
/// </summary>
public sealed partial class DeploymentPipeline(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    DeploymentStatusWriter status,
    BuildLogRecorder buildLog,
    IGitClient git,
    IGitCredentialSource gitCredentials,
    WorkspaceDirectory workspace,
    BuildPlanner planner,
    IImageBuilder imageBuilder,
    IContainerRuntime runtime,
    IProjectEnvironment environment,
    HealthProbe healthProbe,
    IRouteTable routes,
    ProjectDeletions deletions,
    ImageRetention retention,
    IOptions<RuntimeOptions> runtimeOptions,
    IOptions<BuilderOptions> builderOptions,
    IHostApplicationLifetime lifetime,
    Installation installation,
    TimeProvider timeProvider,
    ILogger<DeploymentPipeline> logger) : IDeploymentRunner
{
    private const int FailureLogLines = 20;
    private const int FailureReasonLineLength = 500;

    public async Task RunAsync(DeployRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ProjectRecord project;
        DeploymentRecord deployment;
        try
        {
            (project, deployment) = await LoadAsync(request, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled (stopped by the user) right as it started: still say so, or it would wait as "queued" until the reconciler fails it.
            await MarkCancelledAsync(request.DeploymentId).ConfigureAwait(false);
            throw;
        }

        ContainerInfo? started = null;
        var serving = false;
        try
        {
            await buildLog.MaskSecretsAsync(project.Id, deployment.Id, ct).ConfigureAwait(false);
            var imageTag = deployment.RollbackOfDeploymentId is { } sourceId
                ? await ReuseImageAsync(deployment, sourceId, ct).ConfigureAwait(false)
                : await CloneAndBuildAsync(project, deployment, ct).ConfigureAwait(false);
            if (imageTag is null)
            {
                return;
            }

            started = await StartContainerAsync(project, deployment, imageTag, ct).ConfigureAwait(false);
            var health = await healthProbe.WaitUntilHealthyAsync(
                started.Upstream!,
                project.HealthCheckPath,
                runtimeOptions.Value.HealthTimeout,
                async token => (await runtime.InspectAsync(started.Id, token).ConfigureAwait(false))?.IsRunning ?? false,
                ct).ConfigureAwait(false);
            if (!health.IsHealthy)
            {
                await FailUnhealthyAsync(deployment.Id, started, health.Detail).ConfigureAwait(false);
                started = null;
                return;
            }

            buildLog.Write(deployment.Id, $"Healthy: {health.Detail}. Switching {project.Subdomain} to this deployment.");
            await SwitchAsync(project, deployment.Id, started, ct).ConfigureAwait(false);
            started = null;
            serving = true;
        }
        catch (OperationCanceledException)
        {
            await RemoveQuietlyAsync(started).ConfigureAwait(false);
            await MarkCancelledAsync(deployment.Id).ConfigureAwait(false);
            throw;
        }
        // A ContainerRuntimeException is the engine saying no (it refused to create or start the container) or being away:
        // the deployment fails now with the engine's words; the route never moved, so the previous deployment keeps serving.
        catch (Exception ex) when (ex is GitException or DeploymentException or ContainerRuntimeException or InvalidOperationException or IOException or HttpRequestException)
        {
            await RemoveQuietlyAsync(started).ConfigureAwait(false);
            buildLog.Write(deployment.Id, ex.Message, isError: true);
            var reason = buildLog.Mask(deployment.Id, ex.Message);
            await status.SetStatusAsync(deployment.Id, DeploymentStatus.Failed, reason, ct: CancellationToken.None).ConfigureAwait(false);
            LogFailed(logger, deployment.Id, reason);
        }
        finally
        {
            // A serving container's runtime log shares the masker (and the values it gathered since the start): keep it.
            if (!serving)
            {
                buildLog.ForgetSecrets(deployment.Id);
            }

            await workspace.DeleteAsync(deployment.Id, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async Task MarkSupersededAsync(DeployRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        buildLog.Write(request.DeploymentId, "Superseded by a newer deployment of this project.");
        await status.SetStatusAsync(request.DeploymentId, DeploymentStatus.Superseded, "superseded by a newer deployment", ct: ct).ConfigureAwait(false);
    }

    private async Task<(ProjectRecord Project, DeploymentRecord Deployment)> LoadAsync(DeployRequest request, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var deployment = await db.Deployments.AsNoTracking().Include(d => d.Project)
            .SingleOrDefaultAsync(d => d.Id == request.DeploymentId, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Deployment {request.DeploymentId} no longer exists.");
        return (deployment.Project!, deployment);
    }

    private async Task<ContainerInfo> StartContainerAsync(ProjectRecord project, DeploymentRecord deployment, string imageTag, CancellationToken ct)
    {
        await status.SetStatusAsync(deployment.Id, DeploymentStatus.Starting, ct: ct).ConfigureAwait(false);
        var variables = await environment.GetVariablesAsync(project.Id, ct).ConfigureAwait(false);
        // Values changed during the build are in this container's environment: mask them in its output too.
        await buildLog.MaskSecretsAsync(project.Id, deployment.Id, ct).ConfigureAwait(false);
        var env = new Dictionary<string, string>(variables, StringComparer.Ordinal)
        {
            ["MINIPAAS_PROJECT"] = project.Name,
            ["MINIPAAS_SUBDOMAIN"] = project.Subdomain,
            ["MINIPAAS_DEPLOYMENT_ID"] = deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MINIPAAS_GIT_COMMIT_SHA"] = deployment.CommitSha ?? "",
        };
        var labels = await LabelsAsync(project, deployment.Id).ConfigureAwait(false);
        var limits = ContainerLimits.For(runtimeOptions.Value, project.CpuLimit, project.MemoryLimitMiB);
        var spec = new ContainerSpec(
            ContainerNameFor(project, deployment.Id),
            imageTag,
            env,
            labels,
            project.PortOverride ?? runtimeOptions.Value.ContainerPort,
            limits.Cpus,
            limits.MemoryMiB);
        buildLog.Write(deployment.Id, $"Starting container {spec.Name} (limits: {limits.Describe()})");
        var container = await runtime.StartAsync(spec, ct).ConfigureAwait(false);
        await status.UpdateAsync(deployment.Id, d =>
        {
            d.ContainerId = container.Id;
            d.ContainerName = container.Name;
            d.Upstream = container.Upstream;
        }, ct).ConfigureAwait(false);
        buildLog.Write(deployment.Id, $"Container listening at {container.Upstream}; waiting until it is healthy");
        return container;
    }

    private async Task<Dictionary<string, string>> LabelsAsync(ProjectRecord project, long deploymentId) => new()
    {
        [ContainerLabels.Managed] = "true",
        [ContainerLabels.Instance] = await installation.IdAsync.ConfigureAwait(false),
        [ContainerLabels.Project] = project.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [ContainerLabels.Deployment] = deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [ContainerLabels.Subdomain] = project.Subdomain,
    };

    private async Task SwitchAsync(ProjectRecord project, long deploymentId, ContainerInfo container, CancellationToken ct)
    {
        // The route moves first, the moment the container is healthy (no database round trip in between: under load that
        // was most of the healthy → switched time). From here on the new container serves: finish the switch even if a
        // newer deployment now cancels us.
        ct.ThrowIfCancellationRequested();
        // A deletion of the project that began meanwhile removes this container itself: its route must not come back.
        deletions.UnlessDeleting(project.Id, () => routes.SetUpstream(project.Subdomain, project.Id, deploymentId, container.Upstream!));
        var healthyAt = timeProvider.GetUtcNow();
        List<DeploymentRecord> previous;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false))
        {
            previous = await db.Deployments.AsNoTracking()
                .Where(d => d.ProjectId == project.Id && d.Id != deploymentId && d.ContainerId != null
                            && (d.Status == DeploymentStatus.Running || d.Status == DeploymentStatus.Crashed || d.Status == DeploymentStatus.Stopped))
                .ToListAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await status.SetStatusAsync(deploymentId, DeploymentStatus.Running, update: d => d.HealthyAt = healthyAt, ct: CancellationToken.None).ConfigureAwait(false);
        LogSwitched(logger, project.Subdomain, deploymentId, container.Upstream!);

        if (previous.Count > 0)
        {
            // Requests already forwarded to the old container finish before it stops.
            await Task.Delay(runtimeOptions.Value.DrainDelay, timeProvider, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var old in previous)
        {
            await RemoveQuietlyAsync(old.ContainerId).ConfigureAwait(false);
            await status.SetStatusAsync(old.Id, DeploymentStatus.Superseded, $"replaced by deployment #{deploymentId}", d => d.ContainerId = null, CancellationToken.None).ConfigureAwait(false);
            buildLog.Write(old.Id, $"Replaced by deployment #{deploymentId}; container removed.");
        }

        await retention.PruneAsync(project.Id, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task FailUnhealthyAsync(long deploymentId, ContainerInfo container, string detail)
    {
        // Stopped first, so a restart policy is not cycling it while its last output is read.
        await StopQuietlyAsync(container.Id).ConfigureAwait(false);
        // The app chooses what it prints: its last lines are masked, then cut like any build-log line, and cut shorter for the reason.
        var maxLine = builderOptions.Value.MaxBuildLogLineLength;
        var tail = (await SafeTailAsync(container.Id).ConfigureAwait(false))
            .Select(line => LogLineShaper.Shape(buildLog.Mask(deploymentId, line), SecretMasker.None, maxLine))
            .ToList();
        foreach (var line in tail)
        {
            buildLog.Write(deploymentId, $"[container] {line}", isError: true);
        }

        await RemoveQuietlyAsync(container).ConfigureAwait(false);
        var reason = buildLog.Mask(deploymentId, tail.Count == 0
            ? $"The new container never became healthy: {detail}. It printed nothing. The previous deployment keeps serving."
            : $"The new container never became healthy: {detail}. Last output: {string.Join(" | ", tail.TakeLast(3).Select(l => LogLineShaper.Shape(l, SecretMasker.None, FailureReasonLineLength)))}");
        buildLog.Write(deploymentId, reason, isError: true);
        await status.SetStatusAsync(deploymentId, DeploymentStatus.Failed, reason, d => d.ContainerId = null, CancellationToken.None).ConfigureAwait(false);
        LogFailed(logger, deploymentId, reason);
    }

    private async Task MarkCancelledAsync(long deploymentId)
    {
        // The queue marks superseded deployments itself; any other cancellation (user, shutdown) fails the deployment.
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None).ConfigureAwait(false);
        var current = await db.Deployments.AsNoTracking().Where(d => d.Id == deploymentId).Select(d => d.Status).SingleOrDefaultAsync().ConfigureAwait(false);
        if (DeploymentStatusWriter.IsInProgress(current))
        {
            var reason = lifetime.ApplicationStopping.IsCancellationRequested
                ? "interrupted: MiniPaas stopped during this deployment; deploy again"
                : "cancelled";
            await status.SetStatusAsync(deploymentId, DeploymentStatus.Failed, reason, d => d.ContainerId = null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<string>> SafeTailAsync(string containerId)
    {
        try
        {
            return await runtime.TailLogsAsync(containerId, FailureLogLines, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return [];
        }
    }

    private async Task StopQuietlyAsync(string containerId)
    {
        try
        {
            await runtime.StopAsync(containerId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRemoveFailed(logger, ex, containerId);
        }
    }

    private Task RemoveQuietlyAsync(ContainerInfo? container) => RemoveQuietlyAsync(container?.Id);

    private async Task RemoveQuietlyAsync(string? containerId)
    {
        if (containerId is null)
        {
            return;
        }

        try
        {
            await runtime.RemoveAsync(containerId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRemoveFailed(logger, ex, containerId);
        }
    }

    public static string ImageTagFor(ProjectRecord project, long deploymentId)
    {
        ArgumentNullException.ThrowIfNull(project);
        return $"minipaas/{project.Subdomain}:{deploymentId}";
    }

    public static string ContainerNameFor(ProjectRecord project, long deploymentId)
    {
        ArgumentNullException.ThrowIfNull(project);
        return $"minipaas-{project.Subdomain}-{deploymentId}";
    }

    private static string Short(string? sha) => sha is { Length: > 7 } ? sha[..7] : sha ?? "?";

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    // Only ever given masked text: MiniPaas's own log must not show what the build log hides.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, long deploymentId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Subdomain} now served by deployment {DeploymentId} at {Upstream}")]
    private static partial void LogSwitched(ILogger logger, string subdomain, long deploymentId, string upstream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove container {ContainerId}")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string containerId);
}
