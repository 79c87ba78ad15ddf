using Microsoft.Extensions.Options;
using MiniPaas.Core.Owner;
using MiniPaas.Core.Persistence;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Web.Auth;

/// <summary>Builds the set-up link: <c>&lt;dashboard&gt;/setup?token=…</c> on the public URL if configured, else the first dashboard address.</summary>
public static class SetupLink
{
    public static Uri Build(OwnerOptions options, Uri dashboardUrl, string token)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = string.IsNullOrWhiteSpace(options.PublicUrl) ? dashboardUrl : new Uri(options.PublicUrl);
        return new Uri(root, OwnerEndpoints.SetupPath + "?token=" + Uri.EscapeDataString(token));
    }
}

/// <summary>The link printed at this start, for whoever needs it in-process (the test helper waits on it).</summary>
public sealed class SetupLinkNotice
{
    private readonly TaskCompletionSource<Uri> _announced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Uri> WhenAnnouncedAsync(CancellationToken ct = default) => _announced.Task.WaitAsync(ct);

    internal void Announce(Uri link) => _announced.TrySetResult(link);
}

/// <summary>
/// At start-up, while password sign-in is on and the owner has no password, issues a new set-up token (the previous one
/// stops working) and prints the link to the console and the log, like Jupyter's start-up token. The token is the only
/// secret MiniPaas ever logs, on purpose: it is one-time, expires after <see cref="OwnerOptions.SetupTokenLifetime"/>, and
/// whoever can read this process's output already controls the machine.
/// </summary>
public sealed partial class SetupLinkAnnouncer(
    IHostApplicationLifetime lifetime,
    DatabaseConnection database,
    OwnerAccounts owner,
    PasswordSignInMode mode,
    IServiceProvider services,
    IOptions<OwnerOptions> options,
    SetupLinkNotice notice,
    ILogger<SetupLinkAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mode.IsEnabled)
        {
            return;
        }

        try
        {
            await database.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
            if ((await owner.GetStateAsync(stoppingToken).ConfigureAwait(false)).HasPassword)
            {
                return;
            }

            if (await owner.GetPendingResetExpiryAsync(stoppingToken).ConfigureAwait(false) is { } expires)
            {
                // Replacing it would silently break the link the operator just got from reset-owner.
                await WhenStartedAsync(stoppingToken).ConfigureAwait(false);
                LogResetPending(logger, expires);
                return;
            }

            var token = await owner.IssueSetupTokenAsync(clearPassword: false, stoppingToken).ConfigureAwait(false);
            // The listen plan comes with the ingress; a host composed without it (some tests) uses the default address.
            var dashboard = services.GetService<IngressListenPlan>()?.DashboardUrl ?? new Uri(IngressListenPlan.DefaultUrls + "/");
            var link = SetupLink.Build(options.Value, dashboard, token);

            // After "Now listening on": the link is the last thing on the console when start-up settles.
            await WhenStartedAsync(stoppingToken).ConfigureAwait(false);
            LogSetupLink(logger, link, options.Value.SetupTokenLifetime.TotalMinutes);
            notice.Announce(link);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is DatabaseUnavailableException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            LogNotIssued(logger, e.Message);
        }
    }

    private async Task WhenStartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await using (registration.ConfigureAwait(false))
        {
            await started.Task.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MiniPaas has no owner yet. Open this link to set the owner password (valid {Minutes} minutes, one use): {SetupLink}")]
    private static partial void LogSetupLink(ILogger logger, Uri setupLink, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MiniPaas has no owner password: open the link printed by reset-owner (valid until {Expires}), or run reset-owner again for a new one")]
    private static partial void LogResetPending(ILogger logger, DateTimeOffset expires);

    [LoggerMessage(Level = LogLevel.Error, Message = "The owner set-up link could not be issued: {Reason}")]
    private static partial void LogNotIssued(ILogger logger, string reason);
}
