using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.GitHub.Webhooks;

/// <summary>What to answer GitHub.</summary>
public sealed record WebhookOutcome(int StatusCode, string Message, long? DeploymentId = null);

/// <summary>
/// Handles <c>POST /webhooks/github</c>: the signature is checked against each project's secret before the body is read as
/// JSON; a delivery id is accepted once; only a push to the tracked branch of the tracked repository of an auto-deploy
/// project queues a deployment of exactly the pushed commit. Nothing here waits for a build.
/// </summary>
public sealed partial class WebhookReceiver(
    WebhookSecrets secrets,
    AutoDeployer autoDeployer,
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    TimeProvider timeProvider,
    ILogger<WebhookReceiver> logger)
{
    public async Task<WebhookOutcome> ReceiveAsync(string? eventName, string? deliveryId, string? signature256, ReadOnlyMemory<byte> body, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(signature256))
        {
            LogRefused(logger, deliveryId ?? "(none)", "no X-Hub-Signature-256");
            return new(401, "Missing X-Hub-Signature-256 (sha1 signatures are not accepted).");
        }

        var matching = (await secrets.LoadAllAsync(ct).ConfigureAwait(false))
            .Where(s => WebhookSignature.IsValid(signature256, body.Span, s.Secret))
            .Select(s => s.ProjectId)
            .ToArray();
        if (matching.Length == 0)
        {
            LogRefused(logger, deliveryId ?? "(none)", "signature matches no project's secret");
            return new(401, "Invalid signature.");
        }

        if (string.IsNullOrWhiteSpace(deliveryId) || deliveryId.Length > 100 || string.IsNullOrWhiteSpace(eventName) || eventName.Length > 100)
        {
            return new(400, "Missing X-GitHub-Delivery or X-GitHub-Event.");
        }

        if (!await RecordDeliveryAsync(deliveryId, eventName, matching[0], ct).ConfigureAwait(false))
        {
            LogDuplicate(logger, deliveryId);
            return new(200, "Duplicate delivery; already handled.");
        }

        var outcome = eventName switch
        {
            "ping" => new WebhookOutcome(200, "pong"),
            "push" => await HandlePushAsync(matching, body, ct).ConfigureAwait(false),
            _ => new WebhookOutcome(202, $"Event '{eventName}' is not used by MiniPaas; nothing done."),
        };
        LogHandled(logger, deliveryId, eventName, outcome.Message);
        await SetOutcomeAsync(deliveryId, outcome.Message, ct).ConfigureAwait(false);
        return outcome;
    }

    private async Task<WebhookOutcome> HandlePushAsync(long[] projectIds, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        PushEvent push;
        try
        {
            push = PushEvent.Parse(body);
        }
        catch (JsonException)
        {
            return new(400, "The push payload is not valid JSON.");
        }

        if (push.After is null || push.Deleted || push.After.All(c => c == '0'))
        {
            return new(202, "Branch deleted or no commit; nothing to deploy.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var projects = await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).ToListAsync(ct).ConfigureAwait(false);
        var messages = new List<string>();
        long? deployed = null;
        foreach (var project in projects)
        {
            if (!push.IsRepository(project.SourceUrl))
            {
                messages.Add($"{project.Name}: push is for another repository");
            }
            else if (push.Ref != "refs/heads/" + project.Branch)
            {
                messages.Add($"{project.Name}: push to {push.Ref}, not the tracked branch {project.Branch}");
            }
            else if (!project.AutoDeploy)
            {
                messages.Add($"{project.Name}: auto-deploy is off");
            }
            else if (await autoDeployer.DeployOnceAsync(project.Id, push.After, "webhook", push.Pusher, ct).ConfigureAwait(false) is { } id)
            {
                deployed = id;
                messages.Add($"{project.Name}: deployment #{id} of {push.After} queued");
            }
            else
            {
                messages.Add($"{project.Name}: commit {push.After} was already deployed automatically");
            }
        }

        return new(deployed is null ? 202 : 200, messages.Count == 0 ? "No project matches." : string.Join("; ", messages), deployed);
    }

    private async Task<bool> RecordDeliveryAsync(string deliveryId, string eventName, long projectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        db.GitHubDeliveries.Add(new GitHubDeliveryRecord { DeliveryId = deliveryId, Event = eventName, ProjectId = projectId, ReceivedAt = timeProvider.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            return true;
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return false;
        }
    }

    private async Task SetOutcomeAsync(string deliveryId, string outcome, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var text = outcome.Length > 1000 ? outcome[..1000] : outcome;
        await db.GitHubDeliveries.Where(d => d.DeliveryId == deliveryId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Outcome, text), ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub webhook delivery {DeliveryId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub webhook delivery {DeliveryId} seen before; ignored")]
    private static partial void LogDuplicate(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub webhook delivery {DeliveryId} ({Event}): {Outcome}")]
    private static partial void LogHandled(ILogger logger, string deliveryId, string @event, string outcome);
}
