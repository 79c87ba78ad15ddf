using System.Globalization;
using System.Security.Claims;

namespace MiniPaas.Web.GitHub;

/// <summary>The signed-in user as the dashboard sees them (from the cookie's claims; never the token).</summary>
public sealed record SignedInUser(long UserId, long GitHubId, string Login, string? Name, string? AvatarUrl)
{
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Login : Name;
}

/// <summary>Claim types of the dashboard cookie and the conversion to <see cref="SignedInUser"/>.</summary>
public static class SignInClaims
{
    public const string UserId = "minipaas:user_id";
    public const string GitHubId = "urn:github:id";
    public const string Login = ClaimTypes.Name;
    public const string Name = "urn:github:name";
    public const string AvatarUrl = "urn:github:avatar";

    public static SignedInUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true
            || !long.TryParse(principal.FindFirstValue(UserId), NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !long.TryParse(principal.FindFirstValue(GitHubId), NumberStyles.None, CultureInfo.InvariantCulture, out var gitHubId)
            || principal.FindFirstValue(Login) is not { Length: > 0 } login)
        {
            return null;
        }

        return new SignedInUser(userId, gitHubId, login, principal.FindFirstValue(Name), principal.FindFirstValue(AvatarUrl));
    }
}
