using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Owner;

/// <summary>Registers the owner account, its options and the audit log.</summary>
public static class OwnerHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasOwner(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<OwnerOptions>().Bind(builder.Configuration.GetSection(OwnerOptions.SectionName)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OwnerOptions>, OwnerOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<OwnerAccounts>();
        builder.Services.TryAddSingleton<AuditLog>();
        return builder;
    }
}
