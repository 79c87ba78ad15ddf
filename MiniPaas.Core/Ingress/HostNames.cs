using System.Globalization;

namespace MiniPaas.Core.Ingress;

/// <summary>
/// One spelling per host name before any route lookup: <c>BLOG.LOCALHOST.</c>, <c>blog.localhost.</c> and
/// <c>blog.localhost</c> are the same name (case never matters in DNS, and one trailing dot is the fully-qualified form), and
/// an internationalised name is looked up in its ASCII (punycode) form, the only one a route can have.
/// </summary>
public static class HostNames
{
    /// <summary>
    /// <paramref name="host"/> (no port) without one trailing dot, with Unicode labels as punycode (<c>bücher</c> →
    /// <c>xn--bcher-kva</c>), in lower case; <paramref name="host"/> itself, lower-cased, when it is not a valid name.
    /// </summary>
    public static string Normalize(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Normalize(host.AsSpan()).ToString().ToLowerInvariant();
    }

    /// <summary>
    /// The same as <see cref="Normalize(string)"/>, except that an ASCII name keeps its case (callers compare ignoring case)
    /// and is not copied: the request path calls it for every request.
    /// </summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> host)
    {
        if (host.EndsWith('.') && !host.EndsWith(".."))
        {
            host = host[..^1];
        }

        if (!System.Text.Ascii.IsValid(host))
        {
            try
            {
                // Lower case first: the mapping keeps an upper-case Ü as a different name from ü.
                return new IdnMapping().GetAscii(host.ToString().ToLowerInvariant());
            }
            catch (ArgumentException)
            {
                // Not a valid internationalised name: it matches no route; keep it as given so a 404 can name it.
            }
        }

        return host;
    }
}
