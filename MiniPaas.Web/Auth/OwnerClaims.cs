using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.Owner;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Auth;

/// <summary>Claims of the dashboard cookie beyond the GitHub ones: the owner's password session and the per-sign-in session id.</summary>
public static class OwnerClaims
{
    /// <summary>Present (value <see cref="PasswordMethod"/>) on a session signed in with the owner password.</summary>
    public const string Method = "minipaas:auth_method";

    public const string PasswordMethod = "password";

    /// <summary>The owner account's session version at sign-in; a reset or new password makes older sessions invalid.</summary>
    public const string SessionVersion = "minipaas:owner_version";

    /// <summary>A random id per sign-in (owner or GitHub): sign-out ends exactly that session and its open circuits.</summary>
    public const string Session = "minipaas:session";

    public static ClaimsPrincipal CreateOwner(int sessionVersion) => new(new ClaimsIdentity(
        [
            new Claim(SignInClaims.Login, CurrentUser.LocalOwner),
            new Claim(Method, PasswordMethod),
            new Claim(SessionVersion, sessionVersion.ToString(CultureInfo.InvariantCulture)),
        ],
        GitHubSignIn.CookieScheme));

    public static bool IsOwner(ClaimsPrincipal? principal) =>
        principal?.Identity?.IsAuthenticated == true && principal.FindFirstValue(Method) == PasswordMethod;

    public static int? VersionOf(ClaimsPrincipal principal) =>
        int.TryParse(principal.FindFirstValue(SessionVersion), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    public static string? SessionOf(ClaimsPrincipal? principal) => principal?.FindFirstValue(Session);
}

/// <summary>Whether the owner password is a way in: always without GitHub sign-in, with it only when the operator allows it.</summary>
public sealed class PasswordSignInMode(IOptions<GitHubOptions> gitHub, IOptions<OwnerOptions> owner)
{
    public bool IsEnabled => !gitHub.Value.IsSignInConfigured || owner.Value.AllowPasswordWithGitHub;

    public bool IsGitHubConfigured => gitHub.Value.IsSignInConfigured;
}
