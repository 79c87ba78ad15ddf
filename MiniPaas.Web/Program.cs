using MiniPaas.Core.Configuration;
using MiniPaas.Web.Api;
using MiniPaas.Web.Auth;
using MiniPaas.Web.Hosting;
using MiniPaas.Web.Ingress;

// Known start-up failures (invalid configuration, port in use, no database) end as one line on stderr and exit code 1.
return await StartupFailure.GuardAsync(async () =>
{
    if (ResetOwnerCommand.IsInvoked(args))
    {
        await ResetOwnerCommand.RunAsync(args, Console.Out);
        return;
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.AddMiniPaasCore();
    builder.AddMiniPaasWeb();
    builder.AddMiniPaasIngress();
    builder.AddMiniPaasApi();

    var app = builder.Build();
    app.UseMiniPaasIngress();
    app.UseDashboardGuards();
    app.MapMiniPaasWeb();
    app.MapMiniPaasApi();

    await app.RunAsync();
}, Console.Error);
