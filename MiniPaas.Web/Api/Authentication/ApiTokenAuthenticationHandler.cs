using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MiniPaas.Core.ApiTokens;

namespace MiniPaas.Web.Api.Authentication;

/// <summary>Names of the API's own authentication scheme and policy (the dashboard's sign-in never satisfies them).</summary>
public static class ApiTokenDefaults
{
    public const string Scheme = "ApiToken";
    public const string Policy = "ApiToken";
    public const string TokenIdClaim = "minipaas:api_token_id";

    /// <summary>The token's <see cref="ApiScope"/> by name (<c>read</c>, <c>deploy</c>, <c>admin</c>).</summary>
    public const string ScopeClaim = "minipaas:api_scope";
}

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against <see cref="ApiTokenService"/>. A missing or wrong token
/// is answered 401 with a JSON problem body and a <c>WWW-Authenticate: Bearer</c> challenge (an expired one says so);
/// a token whose scope is too low gets a 403 problem naming the scope needed. Cookies are never read.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";
    private const string UnknownDetail = "The API token is unknown or revoked.";
    private const string ExpiredDetail = "The API token has expired; create a new one on the Settings page.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // While this is the only scheme it is also the default one, run for every request: app traffic through the
        // ingress carries its own bearer tokens, which are none of MiniPaas's business.
        if (!Request.Path.StartsWithSegments(ApiHostingExtensions.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var check = await tokens.CheckAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (check.Caller is not { } caller)
        {
            return AuthenticateResult.Fail(check.IsExpired ? ExpiredDetail : UnknownDetail);
        }

        List<Claim> claims = [new(ClaimTypes.Name, caller.Name), new(ApiTokenDefaults.ScopeClaim, caller.Scope.Name())];
        if (caller.TokenId is { } id)
        {
            claims.Add(new Claim(ApiTokenDefaults.TokenIdClaim, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure?.Message == ExpiredDetail
            ? "Bearer error=\"invalid_token\", error_description=\"The token has expired\""
            : "Bearer";
        // Written as JSON whatever the Accept header says (a follower asks for text/event-stream): scripts read the reason.
        await TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized",
            detail: result.Failure is null
                ? "Send an API token as 'Authorization: Bearer <token>' (create one on the Settings page, or configure MiniPaas:Api:Tokens)."
                : result.Failure.Message).ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var granted = Context.User.FindFirst(ApiTokenDefaults.ScopeClaim)?.Value ?? "none";
        var detail = Context.Items[ApiScopeAuthorizationHandler.NeededScopeItem] is ApiScope needed
            ? $"This token's scope ({granted}) does not allow this request; it needs the {needed.Name()} scope."
            : $"This token's scope ({granted}) does not allow this request.";
        return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: detail).ExecuteAsync(Context);
    }
}
