using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Projects;

/// <summary>Outcome of creating or editing a project: its id, or every field error at once (nothing is saved then).</summary>
public sealed record ProjectSaveResult(long? ProjectId, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Creates, edits and deletes projects. Input is validated here, at the edge, before anything is written.</summary>
public sealed partial class ProjectService(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    IContainerRuntime runtime,
    IRouteTable routes,
    BuildQueue queue,
    ProjectDeletions deletions,
    IngressEndpoint ingress,
    Installation installation,
    TimeProvider timeProvider,
    ILogger<ProjectService> logger,
    IEnumerable<IProjectCreationObserver> creationObservers,
    IOptions<RuntimeOptions> runtimeOptions)
{
    public async Task<ProjectSaveResult> CreateAsync(ProjectSpec spec, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var validation = await ValidateAsync(db, spec, projectId: null, ct).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return new ProjectSaveResult(null, validation.Errors);
        }

        var valid = validation.Normalized!;
        var now = timeProvider.GetUtcNow();
        var project = new ProjectRecord
        {
            Name = valid.Name,
            Subdomain = valid.Subdomain,
            SourceUrl = valid.SourceUrl,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(project, valid);
        db.Projects.Add(project);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Another request created the same name or subdomain between validation and save; the unique index caught it.
            return new ProjectSaveResult(null, new Dictionary<string, string> { [nameof(ProjectSpec.Subdomain)] = "This name or subdomain was just taken; choose another." });
        }

        routes.SetUnavailable(project.Subdomain, project.Id, "not deployed");
        LogCreated(logger, project.Name, project.Subdomain);
        foreach (var observer in creationObservers)
        {
            observer.ProjectCreated(project.Id);
        }

        return new ProjectSaveResult(project.Id, new Dictionary<string, string>());
    }

    public async Task<ProjectSaveResult> UpdateAsync(long projectId, ProjectSpec spec, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == projectId, ct).ConfigureAwait(false)
            ?? throw new DeploymentException($"Project {projectId} does not exist.");
        var validation = await ValidateAsync(db, spec, projectId, ct).ConfigureAwait(false);
        if (!validation.IsValid)
        {
            return new ProjectSaveResult(null, validation.Errors);
        }

        var valid = validation.Normalized!;
        var oldSubdomain = project.Subdomain;
        project.Name = valid.Name;
        project.Subdomain = valid.Subdomain;
        project.SourceUrl = valid.SourceUrl;
        project.UpdatedAt = timeProvider.GetUtcNow();
        Apply(project, valid);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);

        if (!string.Equals(oldSubdomain, project.Subdomain, StringComparison.Ordinal))
        {
            // The live container keeps running; only its address changes.
            var route = routes.Find(oldSubdomain);
            routes.Remove(oldSubdomain);
            if (route is { Upstream: not null, DeploymentId: { } deploymentId })
            {
                routes.SetUpstream(project.Subdomain, project.Id, deploymentId, route.Upstream);
            }
            else
            {
                routes.SetUnavailable(project.Subdomain, project.Id, route?.Status ?? "not deployed");
            }
        }

        return new ProjectSaveResult(project.Id, new Dictionary<string, string>());
    }

    /// <summary>
    /// Deletes the project with its containers, images, logs, events and variables. <paramref name="confirmation"/> must be
    /// the project's name, typed by the user.
    /// </summary>
    public async Task DeleteAsync(long projectId, string confirmation, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var project = await db.Projects.Include(p => p.Deployments).SingleOrDefaultAsync(p => p.Id == projectId, ct).ConfigureAwait(false)
            ?? throw new DeploymentException($"Project {projectId} does not exist.");
        if (!string.Equals(confirmation?.Trim(), project.Name, StringComparison.Ordinal))
        {
            throw new DeploymentException($"Type the project name '{project.Name}' to confirm deletion.");
        }

        // From here on the reconciler leaves the project alone, so the route removed below stays removed.
        deletions.Begin(projectId);
        try
        {
            foreach (var deployment in project.Deployments)
            {
                queue.Cancel(deployment.Id);
            }

            routes.Remove(project.Subdomain);
            var containers = await runtime.ListManagedAsync(ct).ConfigureAwait(false);
            var projectLabel = projectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var instanceId = await installation.IdAsync.WaitAsync(ct).ConfigureAwait(false);
            foreach (var container in containers.Where(c => ContainerLabels.BelongsTo(c.Labels, instanceId)
                                                            && c.Labels.TryGetValue(ContainerLabels.Project, out var p) && p == projectLabel))
            {
                await runtime.RemoveAsync(container.Id, ct).ConfigureAwait(false);
            }

            foreach (var image in project.Deployments.Select(d => d.ImageTag).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                await runtime.RemoveImageAsync(image, ct).ConfigureAwait(false);
            }

            // Deployments, logs, events and variables go with the row (ON DELETE CASCADE).
            db.Projects.Remove(project);
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            deletions.Abandon(projectId);
            throw;
        }

        LogDeleted(logger, project.Name);
    }

    public async Task<ProjectView?> GetAsync(long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, ct).ConfigureAwait(false);
        if (project is null)
        {
            return null;
        }

        var live = await db.Deployments.AsNoTracking().Where(d => d.ProjectId == projectId && d.Status == DeploymentStatus.Running)
            .OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        var latest = await db.Deployments.AsNoTracking().Where(d => d.ProjectId == projectId)
            .OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return new ProjectView(
            project.Id, project.Name, project.Subdomain, project.SourceUrl, project.Branch, project.RootDirectory, project.DockerfilePath,
            project.PortOverride, project.HealthCheckPath, project.CpuLimit, project.MemoryLimitMiB, project.AutoDeploy, project.CreatedAt,
            live is null ? null : DeploymentView.From(live),
            latest is null ? null : DeploymentView.From(latest))
        {
            LiveUrl = live is null ? null : ingress.BaseUrlFor(project.Subdomain).ToString(),
        };
    }

    public async Task<IReadOnlyList<DeploymentView>> ListDeploymentsAsync(long projectId, int take = 50, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.Deployments.AsNoTracking().Where(d => d.ProjectId == projectId)
            .OrderByDescending(d => d.Id).Take(take).ToListAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(DeploymentView.From)];
    }

    /// <summary>One deployment, or null when it does not exist.</summary>
    public async Task<DeploymentView?> GetDeploymentAsync(long deploymentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deploymentId, ct).ConfigureAwait(false);
        return row is null ? null : DeploymentView.From(row);
    }

    /// <summary>The generated Dockerfile of a deployment, or null when the repo had its own.</summary>
    public async Task<string?> GetGeneratedDockerfileAsync(long deploymentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        return await db.Deployments.AsNoTracking().Where(d => d.Id == deploymentId).Select(d => d.GeneratedDockerfile).SingleOrDefaultAsync(ct).ConfigureAwait(false);
    }

    private async Task<ProjectSpecValidation> ValidateAsync(MiniPaasDbContext db, ProjectSpec spec, long? projectId, CancellationToken ct)
    {
        var others = await db.Projects.AsNoTracking().Where(p => p.Id != projectId)
            .Select(p => new { p.Name, p.Subdomain }).ToListAsync(ct).ConfigureAwait(false);
        var names = others.Select(o => o.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var subdomains = others.Select(o => o.Subdomain).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var validation = ProjectSpecValidator.Validate(spec, subdomains.Contains, names.Contains, dashboardHost: ingress.DashboardUrl.Host, maxLimits: runtimeOptions.Value.MaxLimits);
        var subdomain = spec.Subdomain?.Trim() ?? "";
        if (validation.Errors.ContainsKey(nameof(ProjectSpec.Subdomain)) || !ingress.IsDashboardHost(subdomain))
        {
            return validation;
        }

        // The ingress would never serve it (a dashboard host is never an app's), so say so now rather than deploy in vain.
        var errors = new Dictionary<string, string>(validation.Errors, StringComparer.Ordinal)
        {
            [nameof(ProjectSpec.Subdomain)] = $"'{ingress.HostFor(subdomain)}' is the dashboard's own address; choose another subdomain.",
        };
        return new ProjectSpecValidation(errors, null);
    }

    private static void Apply(ProjectRecord project, ProjectSpec spec)
    {
        project.Branch = spec.Branch;
        project.RootDirectory = spec.RootDirectory ?? "";
        project.DockerfilePath = string.IsNullOrWhiteSpace(spec.DockerfilePath) ? null : spec.DockerfilePath;
        project.PortOverride = spec.PortOverride;
        project.HealthCheckPath = string.IsNullOrWhiteSpace(spec.HealthCheckPath) ? null : spec.HealthCheckPath;
        project.CpuLimit = spec.CpuLimit;
        project.MemoryLimitMiB = spec.MemoryLimitMiB;
        project.AutoDeploy = spec.AutoDeploy;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Name} created at subdomain {Subdomain}")]
    private static partial void LogCreated(ILogger logger, string name, string subdomain);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Name} deleted with its containers, images and logs")]
    private static partial void LogDeleted(ILogger logger, string name);
}
