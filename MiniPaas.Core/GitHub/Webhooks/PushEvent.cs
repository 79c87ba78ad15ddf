using System.Text.Json;

namespace MiniPaas.Core.GitHub.Webhooks;

/// <summary>The fields of a GitHub <c>push</c> payload MiniPaas uses.</summary>
public sealed record PushEvent(string? Ref, string? After, bool Deleted, string? Pusher, IReadOnlyList<string> RepositoryUrls)
{
    public static PushEvent Parse(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var urls = new List<string>();
        if (root.TryGetProperty("repository", out var repository) && repository.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "clone_url", "html_url", "ssh_url", "git_url", "url" })
            {
                if (String(repository, name) is { } url)
                {
                    urls.Add(url);
                }
            }
        }

        var pusher = root.TryGetProperty("pusher", out var p) && p.ValueKind == JsonValueKind.Object ? String(p, "name") : null;
        pusher ??= root.TryGetProperty("sender", out var s) && s.ValueKind == JsonValueKind.Object ? String(s, "login") : null;
        var deleted = root.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True;
        return new PushEvent(String(root, "ref"), String(root, "after"), deleted, pusher, urls);
    }

    /// <summary>True when one of the payload's repository addresses names the same repository as <paramref name="sourceUrl"/>.</summary>
    public bool IsRepository(string sourceUrl)
    {
        var key = RepositoryKey.Of(sourceUrl);
        return key is not null && RepositoryUrls.Any(u => RepositoryKey.Of(u) == key);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>"host[:port]/owner/repo" in lower case, whatever the address form (https, ssh, scp-like, with or without .git).</summary>
public static class RepositoryKey
{
    public static string? Of(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var value = address.Trim();
        string hostAndPath;
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            hostAndPath = uri.Authority[(uri.Authority.LastIndexOf('@') + 1)..] + uri.AbsolutePath;
        }
        else if (value.Contains(':', StringComparison.Ordinal) && !value.StartsWith('/'))
        {
            // git@host:owner/repo.git
            var at = value.IndexOf('@', StringComparison.Ordinal);
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            hostAndPath = value[(at + 1)..colon] + "/" + value[(colon + 1)..];
        }
        else
        {
            hostAndPath = value;
        }

        hostAndPath = hostAndPath.TrimEnd('/');
        if (hostAndPath.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            hostAndPath = hostAndPath[..^4];
        }

        return hostAndPath.Replace("//", "/", StringComparison.Ordinal).ToLowerInvariant();
    }
}
