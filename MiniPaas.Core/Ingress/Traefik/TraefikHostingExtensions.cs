using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Ingress.Traefik;

/// <summary>
/// Registers the Traefik ingress mode: container labels and the access-log tailer. Both check <c>MiniPaas:Ingress:Mode</c>
/// when they run and do nothing in YARP mode, so registering them always is harmless.
/// </summary>
public static class TraefikHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasTraefik(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<TraefikOptions>().Bind(builder.Configuration.GetSection(TraefikOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TraefikOptions>, TraefikOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IIngressContainerLabels, TraefikContainerLabels>();
        services.TryAddSingleton<IRequestObserver, NullRequestObserver>();
        services.AddSingleton<TraefikAccessLogTailer>();
        services.AddHostedService(sp => sp.GetRequiredService<TraefikAccessLogTailer>());
        return builder;
    }
}
