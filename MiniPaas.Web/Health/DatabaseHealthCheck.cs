using Microsoft.Extensions.Diagnostics.HealthChecks;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Web.Health;

/// <summary>Ready when the database chosen at start-up answers a trivial query.</summary>
public sealed class DatabaseHealthCheck(IDatabaseInfo database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (database.Current is not { } current)
        {
            return HealthCheckResult.Unhealthy("Database not resolved yet.");
        }

        return await database.IsReachableAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"{current.Host}:{current.Port}/{current.Database} reachable.")
            : HealthCheckResult.Unhealthy($"{current.Host}:{current.Port}/{current.Database} unreachable.");
    }
}
