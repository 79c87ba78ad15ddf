using System.Globalization;
using System.Text;

namespace MiniPaas.Core.Logs;

/// <summary>
/// Makes a raw line safe to store and show: secrets masked, characters PostgreSQL text cannot hold replaced, overlong lines cut
/// with a marker saying how much was cut.
/// </summary>
public static class LogLineShaper
{
    public static string Shape(string raw, SecretMasker masker, int maxLength, long alreadyCut = 0)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(masker);
        // Mask before cutting: a cut through a secret would leave its first half visible.
        var text = masker.Apply(raw);
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot store NUL.
            text = text.Replace('\0', '\uFFFD');
        }

        if (text.Length <= maxLength && alreadyCut == 0)
        {
            return text;
        }

        var keep = Math.Min(maxLength, text.Length);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        var builder = new StringBuilder(keep + 48);
        builder.Append(text, 0, keep);
        builder.Append(CultureInfo.InvariantCulture, $" … [line cut: {text.Length - keep + alreadyCut:N0} more characters]");
        return builder.ToString();
    }
}
