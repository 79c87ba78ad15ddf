using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;
using MiniPaas.Web.Api.Authentication;
using MiniPaas.Web.Api.Contracts;

namespace MiniPaas.Web.Api.Endpoints;

/// <summary><c>GET /api/system</c>: what the System page shows, for scripts (versions, database, engine, build queue, ingress).</summary>
internal static class SystemEndpoints
{
    public static RouteGroupBuilder MapSystemEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/system", GetAsync).WithTags("System").WithName("GetSystem").RequireApiScope(ApiScope.Read);
        return api;
    }

    private static async Task<Ok<SystemDto>> GetAsync(
        IDatabaseInfo database, IEngineStatus engine, BuildQueue queue, IngressEndpoint ingress, IOptions<IngressOptions> ingressOptions,
        CancellationToken ct)
    {
        var db = database.Current;
        var reachable = db is not null && await IsReachableAsync(database, ct);
        var status = engine.Current;
        var version = typeof(SystemEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return TypedResults.Ok(new SystemDto(
            new SystemVersions(version, RuntimeInformation.FrameworkDescription, status.Version, status.ApiVersion),
            new SystemDatabase(db?.Source.ToString().ToLowerInvariant() ?? "resolving", db?.Host, db?.Port, db?.Database, reachable),
            new SystemEngine(status.IsConnected, status.Endpoint, status.Error, status.CheckedAt),
            new SystemBuilder(queue.MaxConcurrentBuilds, queue.Pending.Count, queue.Running.Count),
            new SystemIngress(ingressOptions.Value.Mode, ingress.Port, ingress.AppsDomain)));
    }

    private static async Task<bool> IsReachableAsync(IDatabaseInfo database, CancellationToken ct)
    {
        try
        {
            return await database.IsReachableAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure to reach the database means "not reachable" here, as on the System page.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
