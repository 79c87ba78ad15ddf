using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Deploying;

/// <summary>Keeps the newest <see cref="RuntimeOptions.KeepImagesPerProject"/> images of a project for rollback and removes older ones.</summary>
public sealed partial class ImageRetention(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    IContainerRuntime runtime,
    IOptions<RuntimeOptions> options,
    ILogger<ImageRetention> logger)
{
    public async Task<IReadOnlyList<string>> PruneAsync(long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var withImages = await db.Deployments
            .Where(d => d.ProjectId == projectId && d.ImageTag != null)
            .OrderByDescending(d => d.Id)
            .ToListAsync(ct).ConfigureAwait(false);

        // Several deployments can share one image (rollbacks, redeploys): count distinct images, newest first.
        var keep = withImages.Select(d => d.ImageTag!).Distinct(StringComparer.Ordinal)
            .Take(Math.Max(1, options.Value.KeepImagesPerProject)).ToHashSet(StringComparer.Ordinal);
        var inUse = withImages.Where(d => d.ContainerId != null).Select(d => d.ImageTag!);
        keep.UnionWith(inUse);

        var removed = new List<string>();
        foreach (var deployment in withImages.Where(d => !keep.Contains(d.ImageTag!)))
        {
            var tag = deployment.ImageTag!;
            if (!removed.Contains(tag))
            {
                try
                {
                    await runtime.RemoveImageAsync(tag, ct).ConfigureAwait(false);
                    removed.Add(tag);
                    LogPruned(logger, tag);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPruneFailed(logger, ex, tag);
                    continue;
                }
            }

            deployment.ImageTag = null;
        }

        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed old image {Image}")]
    private static partial void LogPruned(ILogger logger, string image);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove old image {Image}")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception, string image);
}
