using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.GitHub.Webhooks;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Web.GitHub;

/// <summary>
/// <c>/auth/github</c> (start), <c>/auth/github/callback</c> (handled by the OAuth handler), <c>/auth/user</c>, <c>/auth/denied</c>,
/// and the webhook receiver <c>POST /webhooks/github</c> (authenticated by its signature). <c>/login</c> and the sign-out POST
/// are the owner's endpoints (<see cref="Auth.OwnerEndpoints"/>), shared by both ways of signing in.
/// </summary>
public static class GitHubEndpoints
{
    /// <summary>GitHub caps webhook payloads at 25 MB.</summary>
    private const int MaxWebhookBodyBytes = 25 * 1024 * 1024;

    public static IEndpointRouteBuilder MapGitHubEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/auth/github", Challenge).AllowAnonymous().DisableAntiforgery();
        endpoints.MapGet("/auth/user", (HttpContext http) => SignInClaims.From(http.User) is { } user
            ? Results.Json(new { id = user.GitHubId, login = user.Login, name = user.Name, avatarUrl = user.AvatarUrl })
            : Results.Json(new { error = "not signed in" }, statusCode: StatusCodes.Status401Unauthorized)).AllowAnonymous().DisableAntiforgery();
        endpoints.MapGet("/auth/denied", DeniedAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapPost(WebhookInstaller.WebhookPath, ReceiveWebhookAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }

    private static IResult Challenge(HttpContext http, IOptions<GitHubOptions> options, string? returnUrl, bool? @private)
    {
        if (!options.Value.IsSignInConfigured)
        {
            return Results.Text("GitHub sign-in is not configured (MiniPaas:GitHub:ClientId); this MiniPaas runs in single-owner local mode.", statusCode: StatusCodes.Status404NotFound);
        }

        var scopes = new List<string> { "read:user" };
        if (@private == true)
        {
            scopes.Add("repo");
        }

        if (options.Value.AllowedOrgList.Count > 0)
        {
            // Without it GitHub lists only public org memberships.
            scopes.Add("read:org");
        }

        var properties = new OAuthChallengeProperties { RedirectUri = LocalReturnUrl.Sanitize(returnUrl), Scope = scopes };
        return Results.Challenge(properties, [GitHubSignIn.Scheme]);
    }

    private static async Task DeniedAsync(HttpContext http, string? login)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        var who = string.IsNullOrEmpty(login) ? "This GitHub account" : $"GitHub user <strong>{HtmlEncoder.Default.Encode(login)}</strong>";
        await SignInPages.WriteAsync(
            http.Response,
            "Not allowed",
            $"""
            <p data-testid="not-allowed">{who} is not allowed to use this MiniPaas.</p>
            <p>Ask its owner to add you to MiniPaas:GitHub:AllowedUsers or AllowedOrgs.</p>
            <a class="secondary" href="/login">Sign in with another account</a>
            """,
            http.RequestAborted);
    }

    private static async Task<IResult> ReceiveWebhookAsync(HttpContext http, WebhookReceiver receiver, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxWebhookBodyBytes)
        {
            return Results.Text("Payload too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        // The signature covers the exact bytes GitHub sent, so the body is read raw, never re-serialised.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxWebhookBodyBytes)
            {
                return Results.Text("Payload too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        var headers = http.Request.Headers;
        try
        {
            var outcome = await receiver.ReceiveAsync(
                headers["X-GitHub-Event"].FirstOrDefault(),
                headers["X-GitHub-Delivery"].FirstOrDefault(),
                headers["X-Hub-Signature-256"].FirstOrDefault(),
                buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                ct);
            return Results.Text(outcome.Message, statusCode: outcome.StatusCode);
        }
        catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex))
        {
            // Nothing of this delivery was committed, so GitHub's redelivery is handled as new.
            http.Response.Headers.RetryAfter = DatabaseFaults.RetryAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
            return Results.Text("The database is unavailable; nothing was recorded. Redeliver later.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
