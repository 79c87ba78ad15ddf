using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Projects;

/// <summary>The projects list, read from PostgreSQL.</summary>
public sealed class EfProjectDirectory(IDbContextFactory<MiniPaasDbContext> dbFactory, IngressEndpoint ingress) : IProjectDirectory
{
    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.Projects.AsNoTracking()
            .Select(p => new
            {
                p.Id,
                p.Name,
                p.Subdomain,
                p.UpdatedAt,
                IsLive = p.Deployments.Any(d => d.Status == DeploymentStatus.Running),
                Latest = p.Deployments.OrderByDescending(d => d.Id).Select(d => new { d.Status, d.CreatedAt }).FirstOrDefault(),
            })
            .ToListAsync(ct).ConfigureAwait(false);
        return [.. rows
            .Select(r => new ProjectSummary(
                r.Id,
                r.Name,
                r.Subdomain,
                r.Latest?.Status.ToString() ?? "NotDeployed",
                r.IsLive ? ingress.BaseUrlFor(r.Subdomain).ToString() : null,
                r.Latest is { } latest && latest.CreatedAt > r.UpdatedAt ? latest.CreatedAt : r.UpdatedAt))
            .OrderByDescending(s => s.UpdatedAt)];
    }
}
