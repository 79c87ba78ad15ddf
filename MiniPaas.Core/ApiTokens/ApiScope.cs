namespace MiniPaas.Core.ApiTokens;

/// <summary>
/// What an API token may do. Each scope includes the ones below it, so a requirement is met by any scope at least as high
/// (the numeric order is the contract; the lower-case names are what the database, the Settings page and the README use).
/// </summary>
public enum ApiScope
{
    /// <summary>GET requests only, never revealing variable values.</summary>
    Read = 1,

    /// <summary>Read, plus deploy, redeploy, rollback and stop; logs are reads. Cannot create, change or delete projects or variables.</summary>
    Deploy = 2,

    /// <summary>Everything the API offers, revealing variable values included.</summary>
    Admin = 3,
}

/// <summary>Names and order of <see cref="ApiScope"/>.</summary>
public static class ApiScopes
{
    /// <summary>Every scope, lowest first.</summary>
    public static IReadOnlyList<ApiScope> All { get; } = [ApiScope.Read, ApiScope.Deploy, ApiScope.Admin];

    /// <summary>The scope's name as stored and shown: <c>read</c>, <c>deploy</c> or <c>admin</c>.</summary>
    public static string Name(this ApiScope scope) => scope switch
    {
        ApiScope.Read => "read",
        ApiScope.Deploy => "deploy",
        ApiScope.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown API scope."),
    };

    /// <summary>Parses a stored or configured name (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? name, out ApiScope scope)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                scope = candidate;
                return true;
            }
        }

        scope = default;
        return false;
    }

    /// <summary>Whether a token of scope <paramref name="granted"/> may do what needs <paramref name="required"/>.</summary>
    public static bool Allows(this ApiScope granted, ApiScope required) => granted >= required;
}
