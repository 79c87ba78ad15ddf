using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Owner;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web.Auth;

/// <summary><c>MiniPaas.Web reset-owner</c> as an operator runs it (a separate process on the same configuration) against a running MiniPaas.</summary>
public sealed class ResetOwnerCommandTests(AuthAppFixture app) : IClassFixture<AuthAppFixture>
{
    [Fact]
    public async Task ResetOwner_WhileRunning_PrintsLinkThatSetsNewPasswordAndOldSessionEnds()
    {
        var oldSession = await app.SignInOwnerAsync();

        var (exitCode, output) = await RunResetOwnerAsync();
        var link = new Uri(Assert.Single(OwnerSignIn.SetupLinkPattern().Matches(output)).Value);

        Assert.Equal(0, exitCode);
        Assert.Equal(app.BaseAddress.GetLeftPart(UriPartial.Authority), link.GetLeftPart(UriPartial.Authority));
        Assert.Equal(HttpStatusCode.Redirect, await StatusAsync(oldSession, HttpStatusCode.Redirect));
        var newSession = await OwnerSignIn.SetUpAsync(link, "a new owner password");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(newSession, HttpStatusCode.OK));
        var entries = await app.Services.GetRequiredService<AuditLog>().ListAsync();
        Assert.Contains(entries, e => e is { Action: AuditActions.OwnerReset, Actor: "cli" });
        Assert.DoesNotContain(entries, e => e.Target?.Contains(link.Query.TrimStart('?').Split('=')[1], StringComparison.Ordinal) == true);
    }

    /// <summary>GET /projects with <paramref name="session"/> until it answers <paramref name="expected"/> (the running app sees another process's reset within seconds); the last status.</summary>
    private async Task<HttpStatusCode> StatusAsync(Cookie session, HttpStatusCode expected)
    {
        using var client = OwnerSignIn.CreateClient(app.BaseAddress, session);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/projects", UriKind.Relative));
            if (response.StatusCode == expected || cts.IsCancellationRequested)
            {
                return response.StatusCode;
            }

            await Task.Delay(200);
        }
    }

    private async Task<(int ExitCode, string Output)> RunResetOwnerAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                Path.Combine(AppContext.BaseDirectory, "MiniPaas.Web.dll"), "reset-owner",
                "--urls", $"{app.BaseAddress.GetLeftPart(UriPartial.Authority)};http://127.0.0.1:{app.IngressPort}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                ["MiniPaas__DataDirectory"] = app.DataDirectory,
                ["MiniPaas__Database__ConnectionString"] = app.DatabaseConnectionString,
                ["MiniPaas__Ingress__Port"] = app.IngressPort.ToString(CultureInfo.InvariantCulture),
            },
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start MiniPaas.Web reset-owner");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await output + await error);
    }
}
