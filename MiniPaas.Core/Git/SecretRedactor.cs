using System.Text;

namespace MiniPaas.Core.Git;

/// <summary>Replaces every occurrence of a secret (and its URL-encoded and HTTP Basic forms) in text shown to people or logged.</summary>
public sealed class SecretRedactor
{
    public const string Mask = "***";

    private readonly string[] _secrets;

    public SecretRedactor(GitCredentials? credentials)
    {
        if (credentials is null || string.IsNullOrEmpty(credentials.Password))
        {
            _secrets = [];
            return;
        }

        var password = credentials.Password;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{password}"));
        // Longest first so a shorter form never leaves part of a longer one visible.
        _secrets = new[] { password, Uri.EscapeDataString(password), basic }
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public static SecretRedactor None { get; } = new(null);

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
