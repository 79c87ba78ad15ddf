using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.GitHub.Webhooks;

/// <summary>What to answer GitHub.</summary>
public sealed record WebhookOutcome(int StatusCode, string Message, long? DeploymentId = null);

/// <summary>
/// Handles <c>POST /webhooks/github</c>: the signature is checked against each project's secret before the body is read as
/// JSON; a delivery id is accepted once; only a push to the tracked branch of the tracked repository of an auto-deploy
/// project queues a deployment of exactly the pushed commit. Nothing here waits for a build.
/// </summary>
/// <remarks>
/// The delivery is recorded in the same transaction as the deployments it queues, and they reach the build queue only once
/// that transaction committed: a failure anywhere before leaves no trace, so GitHub's redelivery is handled afresh instead
/// of being taken for a duplicate.
/// </remarks>
public sealed partial class WebhookReceiver(
    WebhookSecrets secrets,
    AutoDeployer autoDeployer,
    DeploymentService deployments,
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

        var queued = new List<DeploymentRecord>();
        WebhookOutcome outcome;
        await using (var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            var delivery = new GitHubDeliveryRecord { DeliveryId = deliveryId, Event = eventName, ProjectId = matching[0], ReceivedAt = timeProvider.GetUtcNow() };
            if (!await TryRecordAsync(db, delivery, ct).ConfigureAwait(false))
            {
                LogDuplicate(logger, deliveryId);
                return new(200, "Duplicate delivery; already handled.");
            }

            outcome = eventName switch
            {
                "ping" => new WebhookOutcome(200, "pong"),
                "push" => await HandlePushAsync(db, matching, body, queued, ct).ConfigureAwait(false),
                _ => new WebhookOutcome(202, $"Event '{eventName}' is not used by MiniPaas; nothing done."),
            };
            delivery.Outcome = outcome.Message.Length > 1000 ? outcome.Message[..1000] : outcome.Message;
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }

        foreach (var deployment in queued)
        {
            deployments.Enqueue(deployment);
        }

        LogHandled(logger, deliveryId, eventName, outcome.Message);
        return outcome;
    }

    private async Task<WebhookOutcome> HandlePushAsync(MiniPaasDbContext db, long[] projectIds, ReadOnlyMemory<byte> body, List<DeploymentRecord> queued, CancellationToken ct)
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

        // In id order, so two deliveries naming the same projects take their claims' row locks in the same order.
        var projects = await db.Projects.AsNoTracking().Where(p => projectIds.Contains(p.Id)).OrderBy(p => p.Id).ToListAsync(ct).ConfigureAwait(false);
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
            else if (await autoDeployer.ClaimAsync(db, project.Id, push.After, "webhook", push.Pusher, ct).ConfigureAwait(false) is { } deployment)
            {
                queued.Add(deployment);
                deployed = deployment.Id;
                messages.Add($"{project.Name}: deployment #{deployment.Id} of {push.After} queued");
            }
            else
            {
                messages.Add($"{project.Name}: commit {push.After} was already deployed automatically");
            }
        }

        return new(deployed is null ? 202 : 200, messages.Count == 0 ? "No project matches." : string.Join("; ", messages), deployed);
    }

    /// <returns>False when the delivery id was recorded before (by a committed earlier delivery).</returns>
    private static async Task<bool> TryRecordAsync(MiniPaasDbContext db, GitHubDeliveryRecord delivery, CancellationToken ct)
    {
        // A concurrent delivery with the same id waits here on the unique index until the first one commits or rolls back.
        db.GitHubDeliveries.Add(delivery);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub webhook delivery {DeliveryId} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub webhook delivery {DeliveryId} seen before; ignored")]
    private static partial void LogDuplicate(ILogger logger, string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub webhook delivery {DeliveryId} ({Event}): {Outcome}")]
    private static partial void LogHandled(ILogger logger, string deliveryId, string @event, string outcome);
}
