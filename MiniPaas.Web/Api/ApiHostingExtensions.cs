using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using MiniPaas.Web.Api.Authentication;
using MiniPaas.Web.Api.Endpoints;

namespace MiniPaas.Web.Api;

/// <summary>
/// The automation API under <c>/api</c>: its own bearer-token scheme and policy (the dashboard's sign-in never authorizes
/// it), JSON problem answers for every error, and the OpenAPI document at <c>/openapi/v1.json</c>.
/// </summary>
public static class ApiHostingExtensions
{
    public const string Prefix = "/api";

    public static WebApplicationBuilder AddMiniPaasApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenDefaults.Scheme, configureOptions: null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiTokenDefaults.Policy, policy => policy.AddAuthenticationSchemes(ApiTokenDefaults.Scheme).RequireAuthenticatedUser()
                .AddRequirements(new ApiScopeRequirement()));
        builder.Services.AddSingleton<IAuthorizationHandler, ApiScopeAuthorizationHandler>();

        builder.Services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "MiniPaas API";
                document.Info.Description = "Automation API of MiniPaas. Send 'Authorization: Bearer <token>' (Settings page, or MiniPaas:Api:Tokens).";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
                document.Components.SecuritySchemes[ApiTokenDefaults.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token created on the Settings page (scope read, deploy or admin) or listed in MiniPaas:Api:Tokens (admin).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiTokenDefaults.Scheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapMiniPaasApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase),
            api => api.UseMiddleware<ApiProblemMiddleware>());

        // Bearer tokens only, never cookies: no cross-site request can carry the credential, so no antiforgery is needed.
        var api = app.MapGroup(Prefix).RequireAuthorization(ApiTokenDefaults.Policy).DisableAntiforgery();
        api.MapProjectEndpoints();
        api.MapDeploymentEndpoints();
        api.MapEnvEndpoints();
        api.MapAnalyticsEndpoints();
        api.MapSystemEndpoints();

        app.MapOpenApi();
        return app;
    }
}
