using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.ApiTokens;

/// <summary>Registers the API token store and the validated <c>MiniPaas:Api</c> options.</summary>
public static class ApiTokensHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasApiTokens(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ApiOptions>().Bind(builder.Configuration.GetSection(ApiOptions.SectionName)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        builder.Services.TryAddSingleton<ApiTokenService>();
        return builder;
    }
}
