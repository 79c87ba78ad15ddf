using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Ingress;

/// <summary>A tiny app on a loopback port that answers "&lt;name&gt; &lt;path&gt;" (and 404 on /missing).</summary>
internal static class TestUpstream
{
    public static async Task<(WebApplication App, int Port)> StartAsync(string name)
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        app.MapGet("/missing", () => Results.Text($"{name} says not found", statusCode: 404));
        app.MapPost("/upload", async (HttpContext c) =>
        {
            var total = 0L;
            var buffer = new byte[81920];
            int read;
            while ((read = await c.Request.Body.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            return $"{name} received {total}";
        });
        app.MapFallback((HttpContext c) =>
            $"{name} {c.Request.Path}{c.Request.QueryString} forwarded-host={c.Request.Headers["X-Forwarded-Host"]}");
        await app.StartAsync();
        return (app, port);
    }
}
