using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Building;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;

namespace MiniPaas.Core.Deploying;

/// <summary>The pipeline's image step: reuse a previous deployment's image (rollback), or clone, plan and build one.</summary>
public sealed partial class DeploymentPipeline
{
    private async Task<string?> ReuseImageAsync(DeploymentRecord deployment, long sourceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var source = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == sourceId, ct).ConfigureAwait(false);
        if (source?.ImageTag is null || !await runtime.ImageExistsAsync(source.ImageTag, ct).ConfigureAwait(false))
        {
            throw new DeploymentException($"The image of deployment #{sourceId} is no longer available; deploy the commit again instead.");
        }

        buildLog.Write(deployment.Id, $"Reusing image {source.ImageTag} of deployment #{sourceId} (commit {Short(source.CommitSha)}); no build needed.");
        await status.SetStatusAsync(deployment.Id, DeploymentStatus.Starting, update: d =>
        {
            d.StartedAt ??= d.CreatedAt;
            d.ImageTag = source.ImageTag;
            d.CommitSha = source.CommitSha;
            d.CommitMessage = source.CommitMessage;
            d.GeneratedDockerfile = source.GeneratedDockerfile;
            d.DetectedStack = source.DetectedStack;
        }, ct: ct).ConfigureAwait(false);
        return source.ImageTag;
    }

    private async Task<string?> CloneAndBuildAsync(ProjectRecord project, DeploymentRecord deployment, CancellationToken ct)
    {
        await status.SetStatusAsync(deployment.Id, DeploymentStatus.Cloning, ct: ct).ConfigureAwait(false);
        var checkout = workspace.PathFor(deployment.Id);
        buildLog.Write(deployment.Id, $"Cloning {project.SourceUrl} (branch {project.Branch}{(deployment.CommitSha is null ? "" : $", commit {Short(deployment.CommitSha)}")})");
        var credentials = await gitCredentials.GetForProjectAsync(project.OwnerId, project.SourceUrl, ct).ConfigureAwait(false);
        // git's output and the build's are the repository's to choose: they share one capped share of the log.
        var settings = builderOptions.Value;
        var output = new BuildOutputLog(buildLog, deployment.Id, new BuildLogLimits(settings.MaxBuildLogLineLength, settings.MaxBuildLogLines, settings.MaxBuildLogBytes));
        try
        {
            return await CloneAndBuildAsync(project, deployment, checkout, credentials, output, ct).ConfigureAwait(false);
        }
        finally
        {
            output.Complete();
        }
    }

    private async Task<string?> CloneAndBuildAsync(
        ProjectRecord project, DeploymentRecord deployment, string checkout, Git.GitCredentials? credentials, BuildOutputLog output, CancellationToken ct)
    {
        var commit = await git.CloneAsync(project.SourceUrl, project.Branch, deployment.CommitSha, checkout, credentials, output.Lines, ct).ConfigureAwait(false);
        buildLog.Write(deployment.Id, $"Checked out {Short(commit.CommitSha)}: {FirstLine(commit.CommitMessage)}");

        var context = ResolveContext(checkout, project);
        BuildPlan plan;
        try
        {
            plan = planner.Plan(context, project.DockerfilePath);
        }
        catch (StackNotDetectedException ex)
        {
            throw new DeploymentException(ex.Message);
        }

        foreach (var reason in plan.Stack.Reasons)
        {
            buildLog.Write(deployment.Id, plan.GeneratedDockerfile is null ? reason : $"Detected: {reason}");
        }

        foreach (var note in plan.Notes)
        {
            buildLog.Write(deployment.Id, note);
        }

        if (plan.GeneratedDockerfile is not null)
        {
            buildLog.Write(deployment.Id, $"No Dockerfile in the repository: generated one for the {plan.Stack.Stack} stack (shown on the deployment page).");
        }

        foreach (var note in await environment.InspectCheckoutAsync(project.Id, context, commit.CommitSha, ct).ConfigureAwait(false))
        {
            buildLog.Write(deployment.Id, note);
        }

        var buildArguments = await environment.GetBuildArgumentsAsync(project.Id, ct).ConfigureAwait(false);
        if (buildArguments.Count > 0)
        {
            buildLog.Write(deployment.Id, $"Build arguments (variables needed at build time): {string.Join(", ", buildArguments.Keys.Order(StringComparer.Ordinal))}");
            if (plan.GeneratedDockerfile is not null)
            {
                plan = plan with { GeneratedDockerfile = Variables.BuildArguments.DeclareIn(plan.GeneratedDockerfile, buildArguments.Keys) };
            }
        }

        var imageTag = ImageTagFor(project, deployment.Id);
        await status.SetStatusAsync(deployment.Id, DeploymentStatus.Building, update: d =>
        {
            d.CommitSha = commit.CommitSha;
            d.CommitMessage = commit.CommitMessage;
            d.GeneratedDockerfile = plan.GeneratedDockerfile;
            d.DetectedStack = plan.Stack.Stack;
        }, ct: ct).ConfigureAwait(false);

        // Images get only labels that are the same for every build of this installation: a label whose value changes (project,
        // deployment) becomes a layer that misses the cache on every build (measured: a fully cached build went from 0.1 s to
        // 2.7 s on vfs). The tag names project and deployment; the container carries the full set.
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Managed] = "true",
            [ContainerLabels.Instance] = await installation.IdAsync.ConfigureAwait(false),
        };
        var result = await imageBuilder.BuildAsync(context, plan.DockerfilePath, imageTag, labels, plan.ExtraFiles, buildArguments, new BuildOutputSink(output), ct).ConfigureAwait(false);
        output.Complete();
        if (!result.Succeeded)
        {
            buildLog.Write(deployment.Id, $"Build failed: {result.FailureReason}", isError: true);
            var reason = buildLog.Mask(deployment.Id, result.FailureReason ?? "the build failed");
            await status.SetStatusAsync(deployment.Id, DeploymentStatus.Failed, reason, ct: CancellationToken.None).ConfigureAwait(false);
            LogFailed(logger, deployment.Id, reason);
            return null;
        }

        await status.UpdateAsync(deployment.Id, d => d.ImageTag = imageTag, ct).ConfigureAwait(false);
        buildLog.Write(deployment.Id, $"Built image {imageTag}");
        return imageTag;
    }

    private static string ResolveContext(string checkout, ProjectRecord project)
    {
        try
        {
            return RootDirectoryRules.ResolveInside(checkout, project.RootDirectory);
        }
        catch (ArgumentException ex)
        {
            throw new DeploymentException($"Root directory '{project.RootDirectory}' cannot be used: {ex.Message}");
        }
    }

    /// <summary>Feeds image build output into the build log, in order.</summary>
    private sealed class BuildOutputSink(BuildOutputLog output) : IProgress<BuildOutputLine>
    {
        public void Report(BuildOutputLine value) => output.Write(value.Text, value.IsError, value.CutCharacters);
    }
}
