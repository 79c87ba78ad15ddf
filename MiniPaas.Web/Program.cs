using MiniPaas.Core.Configuration;
using MiniPaas.Web.Hosting;

// Known start-up failures (invalid configuration, port in use) end as one line on stderr and exit code 1.
return await StartupFailure.GuardAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddMiniPaasCore();
    builder.AddMiniPaasWeb();

    var app = builder.Build();
    app.MapMiniPaasWeb();

    await app.RunAsync();
}, Console.Error);
