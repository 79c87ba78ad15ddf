using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Owner;
using MiniPaas.Core.Persistence;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Web.Auth;

/// <summary>
/// <c>dotnet run --project MiniPaas.Web -- reset-owner</c>: removes the owner password, signs every session out and prints
/// a new set-up link. It finds the database exactly as MiniPaas does (same configuration, same <see cref="DatabaseResolver"/>)
/// and writes the reset there, so it works whether MiniPaas is running (which sees the change within seconds) or not.
/// </summary>
public static class ResetOwnerCommand
{
    public const string Name = "reset-owner";

    public static bool IsInvoked(string[] args) => args is [Name, ..];

    public static async Task RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var builder = WebApplication.CreateBuilder(args[1..]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMiniPaasCore();
        builder.AddMiniPaasOwner();
        await using var app = builder.Build();
        var services = app.Services;
        var ownerOptions = services.GetRequiredService<IOptions<OwnerOptions>>().Value;
        var listen = IngressListenPlan.Create(builder.Configuration[WebHostDefaults.ServerUrlsKey], services.GetRequiredService<IOptions<IngressOptions>>().Value);

        var database = await services.GetRequiredService<DatabaseResolver>().ResolveAsync().ConfigureAwait(false);
        try
        {
            await using (var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(database.ConnectionString)))
            {
                await db.Database.MigrateAsync().ConfigureAwait(false);
            }

            var contexts = new DirectDbContextFactory(database.ConnectionString);
            var time = services.GetRequiredService<TimeProvider>();
            string token;
            using (var accounts = new OwnerAccounts(contexts, time, Options.Create(ownerOptions)))
            {
                token = await accounts.IssueSetupTokenAsync(clearPassword: true).ConfigureAwait(false);
            }

            await new AuditLog(contexts, time).RecordAsync(AuditActions.OwnerReset, "cli").ConfigureAwait(false);

            var link = SetupLink.Build(ownerOptions, listen.DashboardUrl, token);
            await output.WriteLineAsync("The owner password was removed and every dashboard session signed out.").ConfigureAwait(false);
            await output.WriteLineAsync(
                $"Open this link to set a new password (valid {ownerOptions.SetupTokenLifetime.TotalMinutes:0} minutes, one use; start MiniPaas first if it is not running):").ConfigureAwait(false);
            await output.WriteLineAsync(link.ToString()).ConfigureAwait(false);
        }
        finally
        {
            // A cluster started just for this command is stopped again; one a running MiniPaas uses is left alone.
            if (!database.IsSharedWithRunningInstance)
            {
                await database.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
