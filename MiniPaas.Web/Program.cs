using MiniPaas.Core.Configuration;
using MiniPaas.Web.Components;
using MiniPaas.Web.Ingress;

var builder = WebApplication.CreateBuilder(args);
builder.AddMiniPaasCore();
builder.AddMiniPaasIngress();

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

var app = builder.Build();
try { app.UseMiniPaasIngress(); }
catch (PortInUseException ex) { Console.Error.WriteLine(ex.Message); Environment.ExitCode = 1; return; }

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
