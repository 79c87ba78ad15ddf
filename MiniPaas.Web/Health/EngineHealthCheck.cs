using Microsoft.Extensions.Diagnostics.HealthChecks;
using MiniPaas.Core.Deploying;

namespace MiniPaas.Web.Health;

/// <summary>Ready when the last probe of the container engine succeeded.</summary>
public sealed class EngineHealthCheck(IEngineStatus engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = engine.Current;
        return Task.FromResult(status.IsConnected
            ? HealthCheckResult.Healthy($"Docker {status.Version} at {status.Endpoint}.")
            : HealthCheckResult.Unhealthy($"Docker engine at {status.Endpoint} unreachable: {status.Error}"));
    }
}
