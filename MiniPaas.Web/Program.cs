using MiniPaas.Core.Configuration;
using MiniPaas.Web.Components;

var builder = WebApplication.CreateBuilder(args);
builder.AddMiniPaasCore();

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();

var app = builder.Build();

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
