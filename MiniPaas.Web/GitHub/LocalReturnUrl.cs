namespace MiniPaas.Web.GitHub;

/// <summary>After sign-in MiniPaas only goes back to a path of its own: never another host, scheme-relative URL or backslash trick.</summary>
public static class LocalReturnUrl
{
    public static string Sanitize(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048)
        {
            return "/";
        }

        // Same rule as ASP.NET Core's IsLocalUrl: "/x" or "~/x", but not "//host", "/\host" or control characters.
        var isLocal = returnUrl[0] == '/'
            ? returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\')
            : returnUrl.Length > 1 && returnUrl[0] == '~' && returnUrl[1] == '/' && (returnUrl.Length == 2 || (returnUrl[2] != '/' && returnUrl[2] != '\\'));
        if (!isLocal || returnUrl.Any(char.IsControl))
        {
            return "/";
        }

        var path = returnUrl[0] == '~' ? returnUrl[1..] : returnUrl;
        // Going back to the sign-in routes themselves would loop.
        return path.StartsWith("/auth/", StringComparison.OrdinalIgnoreCase) || path.StartsWith("/login", StringComparison.OrdinalIgnoreCase) ? "/" : path;
    }
}
