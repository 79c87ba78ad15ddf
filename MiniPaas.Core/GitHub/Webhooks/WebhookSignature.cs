using System.Security.Cryptography;

namespace MiniPaas.Core.GitHub.Webhooks;

/// <summary>Checks <c>X-Hub-Signature-256</c> (<c>sha256=&lt;hex HMAC-SHA256 of the raw body&gt;</c>) in constant time.</summary>
public static class WebhookSignature
{
    private const string Prefix = "sha256=";

    /// <summary>The header value GitHub would send for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, ReadOnlySpan<byte> secret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>True only for a well-formed sha256 signature matching the body; sha1 (<c>X-Hub-Signature</c>) is never accepted.</summary>
    public static bool IsValid(string? header, ReadOnlySpan<byte> body, ReadOnlySpan<byte> secret)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + 64)
        {
            return false;
        }

        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(secret, body, expected);
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
