namespace MiniPaas.Core.Ingress;

/// <summary>What a subdomain currently serves.</summary>
public sealed record AppRoute(string Subdomain, long ProjectId, long? DeploymentId, string? Upstream, string Status);

/// <summary>
/// <c>&lt;subdomain&gt;</c> → upstream. Every change is applied atomically to the ingress (YARP reloads its config;
/// a project without a live deployment answers 503 with its status; an unknown subdomain 404).
/// </summary>
public interface IRouteTable
{
    /// <summary>Points <paramref name="subdomain"/> at <paramref name="upstream"/> (e.g. <c>127.0.0.1:41234</c>).</summary>
    void SetUpstream(string subdomain, long projectId, long deploymentId, string upstream);

    /// <summary>Keeps the subdomain known but without a live upstream (answers 503 showing <paramref name="status"/>).</summary>
    void SetUnavailable(string subdomain, long projectId, string status);

    void Remove(string subdomain);

    AppRoute? Find(string subdomain);

    IReadOnlyCollection<AppRoute> Snapshot();
}
