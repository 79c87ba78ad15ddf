namespace MiniPaas.Core.Variables;

/// <summary>
/// Which variables look secret: the key has a secret-like word (SECRET, TOKEN, KEY, PASSWORD/PASS/PWD, CREDENTIAL, PRIVATE,
/// DSN, …) or the value holds a URL with a password (<c>scheme://user:pass@host</c>). New variables start as secrets by
/// this rule, suggestions for such keys get a generated value; the user's flag decides after that.
/// </summary>
public static class SecretRule
{
    private static readonly System.Buffers.SearchValues<char> AuthorityEnd = System.Buffers.SearchValues.Create("/?# \t\r\n");

    /// <summary>True when <paramref name="key"/> or <paramref name="value"/> looks secret.</summary>
    public static bool LooksSecret(string key, string? value) =>
        KeyLooksSecret(key) || (value is not null && HasUrlPassword(value));

    /// <summary>True when a word of <paramref name="key"/> (split at <c>_</c>) is secret-like: API_KEY, AWS_SECRET_ACCESS_KEY, SENTRY_DSN, but not MONKEY_COUNT.</summary>
    public static bool KeyLooksSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        // Word by word, so MONKEY_COUNT is not a key but API_KEY, AWS_SECRET_ACCESS_KEY and SECRETKEY are.
        return key.ToUpperInvariant().Split('_', StringSplitOptions.RemoveEmptyEntries).Any(word =>
            word is "KEY" or "APIKEY" or "PASS" or "PWD" or "SALT" or "DSN" or "PASSPHRASE"
            || word.Contains("SECRET", StringComparison.Ordinal) || word.Contains("TOKEN", StringComparison.Ordinal)
            || word.Contains("PASSWORD", StringComparison.Ordinal) || word.Contains("PASSWD", StringComparison.Ordinal)
            || word.Contains("PRIVATE", StringComparison.Ordinal) || word.Contains("CREDENTIAL", StringComparison.Ordinal));
    }

    /// <summary>True when <paramref name="value"/> contains a URL whose user information has a non-empty password (<c>redis://:pw@host</c> included).</summary>
    public static bool HasUrlPassword(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var from = 0;
        while (value.IndexOf("://", from, StringComparison.Ordinal) is var separator and >= 0)
        {
            // The authority ends at '/', '?', '#' or whitespace, so a '@' in a path or a query ("https://host/a:b@c") is no
            // password; within it the last '@' ends the user information, which may itself hold '@' and ':'.
            var start = separator + 3;
            var end = value.AsSpan(start).IndexOfAny(AuthorityEnd);
            var authority = end < 0 ? value.AsSpan(start) : value.AsSpan(start, end);
            var at = authority.LastIndexOf('@');
            if (separator > 0 && at > 0 && authority[..at].IndexOf(':') is var colon and >= 0 && colon < at - 1)
            {
                return true;
            }

            from = start;
        }

        return false;
    }
}
