using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Ingress.Traefik;

/// <summary>In Traefik mode, the router/service labels of an app container; in YARP mode, none.</summary>
public sealed class TraefikContainerLabels(
    IOptions<IngressOptions> ingressOptions,
    IOptions<TraefikOptions> traefikOptions,
    IOptions<RuntimeOptions> runtimeOptions) : IIngressContainerLabels
{
    public IReadOnlyDictionary<string, string> LabelsFor(string subdomain, int port)
    {
        var ingress = ingressOptions.Value;
        if (!ingress.IsTraefik)
        {
            return new Dictionary<string, string>();
        }

        var traefik = traefikOptions.Value;
        var runtime = runtimeOptions.Value;
        var network = traefik.Network is { Length: > 0 } configured ? configured : runtime.IsHostNetwork ? null : runtime.BridgeNetwork;
        return TraefikLabels.Build(new TraefikRoute(subdomain, ingress.AppsDomain.ToLowerInvariant(), port, traefik.EntryPoint, network));
    }
}
