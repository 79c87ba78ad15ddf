namespace MiniPaas.Core.Ingress;

/// <summary>
/// Extra labels the active ingress needs on an app container (Traefik mode: its router and service labels). The runtime
/// asks once the container's port is known; the embedded YARP ingress needs none.
/// </summary>
public interface IIngressContainerLabels
{
    /// <summary>Labels for the container serving <paramref name="subdomain"/> on <paramref name="port"/>; empty when the ingress needs none.</summary>
    IReadOnlyDictionary<string, string> LabelsFor(string subdomain, int port);
}
