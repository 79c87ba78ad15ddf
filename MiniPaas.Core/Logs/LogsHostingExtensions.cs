using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Logs.Docker;

namespace MiniPaas.Core.Logs;

/// <summary>Registers runtime log capture: the writer (COPY), the container attacher, the query service, retention.</summary>
public static class LogsHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasLogs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<LogsOptions>().Bind(builder.Configuration.GetSection(LogsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<LogRetentionOptions>().Bind(builder.Configuration.GetSection(LogRetentionOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LogsOptions>, LogsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LogRetentionOptions>, LogRetentionOptionsValidator>());

        services.AddSingleton<RuntimeLogFeed>();
        services.TryAddSingleton<ISecretValues, ProjectVariableSecretValues>();
        services.AddSingleton<SecretMaskerCache>();
        services.AddSingleton<IngestionRateLimiter>();
        services.TryAddSingleton<IContainerLogSource, DockerContainerLogSource>();
        services.AddSingleton<RuntimeLogQuery>();
        services.AddSingleton<ContainerLogIngestor>();

        // Registered before the attacher: hosted services stop in reverse order, so the attacher stops reading first and the
        // writer then stores everything it was handed.
        services.AddSingleton<RuntimeLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<RuntimeLogWriter>());
        services.AddSingleton<ContainerLogAttacher>();
        services.AddHostedService(sp => sp.GetRequiredService<ContainerLogAttacher>());
        services.AddSingleton<RuntimeLogRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<RuntimeLogRetention>());
        return builder;
    }
}
